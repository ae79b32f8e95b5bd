/**
 * Topic matchers (Mercure §"Matcher Types"): {@code exact}, {@code urlpattern} and the {@code *}
 * wildcard, created and validated by {@link dev.herald.hub.internal.topic.TopicMatchers}; the
 * subscription request parameters ({@link dev.herald.hub.internal.topic.SubscriptionRequestParser});
 * and the publish-side field rules ({@link dev.herald.hub.internal.topic.TopicRules}).
 */
package dev.herald.hub.internal.topic;
