/**
 * What pre-1.0 Mercure compatibility ({@code --compat=0.x}) needs beyond the topic selectors
 * ({@link dev.herald.hub.internal.topic.TopicSelectorMatcher}) and token forms
 * ({@link dev.herald.hub.internal.auth.AuthConfig#mercure0x()}): the pre-1.0 shape of subscription
 * events, for the active subscriptions feature.
 */
package dev.herald.hub.internal.compat;
