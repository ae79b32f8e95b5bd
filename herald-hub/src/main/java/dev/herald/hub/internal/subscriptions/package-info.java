/**
 * Active subscriptions (Mercure §"Active Subscriptions"): the subscription events the hub publishes
 * when a subscription starts and ends ({@link dev.herald.hub.internal.subscriptions.SubscriptionEvents},
 * one event in either the 1.0 or the pre-1.0 shape being a
 * {@link dev.herald.hub.internal.subscriptions.SubscriptionEvent}), the registry of active
 * subscriptions derived from those events as the hub dispatches them
 * ({@link dev.herald.hub.internal.subscriptions.SubscriptionRegistry}), what that registry starts
 * from when the hub starts — a crashed run's subscriptions, or a cluster's records
 * ({@link dev.herald.hub.internal.subscriptions.RegistryStart}) — and the topic and URL scheme they
 * share ({@link dev.herald.hub.internal.subscriptions.SubscriptionTopics}).
 */
package dev.herald.hub.internal.subscriptions;
