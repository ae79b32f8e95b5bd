/**
 * Active subscriptions (Mercure §"Active Subscriptions"): the subscription events the hub publishes
 * when a subscription starts and ends ({@link dev.herald.hub.internal.subscriptions.SubscriptionEvents}),
 * the registry of active subscriptions derived from those events as the hub dispatches them
 * ({@link dev.herald.hub.internal.subscriptions.SubscriptionRegistry}), and the topic and URL scheme
 * they share ({@link dev.herald.hub.internal.subscriptions.SubscriptionTopics}).
 */
package dev.herald.hub.internal.subscriptions;
