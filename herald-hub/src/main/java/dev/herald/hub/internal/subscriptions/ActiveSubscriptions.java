package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

/**
 * The parts of the active subscriptions feature a running hub wires together: the names, the
 * registry the API reads (a listener of the dispatcher) and the publisher of subscription events.
 *
 * <p>Immutable and thread-safe.
 */
public record ActiveSubscriptions(SubscriptionTopics topics, SubscriptionRegistry registry, SubscriptionEvents events) {

    public ActiveSubscriptions {
        requireNonNull(topics, "topics");
        requireNonNull(registry, "registry");
        requireNonNull(events, "events");
    }
}
