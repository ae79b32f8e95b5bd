/**
 * Mercure on top of the event source: {@link dev.herald.client.mercure.MercureSubscription} builds the
 * subscription URL from topic matchers ({@code match}, {@code match_urlpattern}) and presents a bearer
 * token; {@link dev.herald.client.mercure.MercurePublisher} publishes
 * {@link dev.herald.client.mercure.MercureUpdate}s and returns the ids the hub gave them. All types are
 * immutable and thread-safe, their builders are not.
 */
package dev.herald.client.mercure;
