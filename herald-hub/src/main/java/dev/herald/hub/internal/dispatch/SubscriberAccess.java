package dev.herald.hub.internal.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a subscriber's credentials allow (Mercure §"Subscribers"): whether it may receive a private
 * update with the given topics, and until when its connection may stay open.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SubscriberAccess {

    /** An anonymous subscriber: no private update, no expiry. */
    SubscriberAccess ANONYMOUS = new SubscriberAccess() {
        @Override
        public boolean canReceivePrivate(List<String> topics) {
            return false;
        }

        @Override
        public Instant expiresAt() {
            return null;
        }

        @Override
        public String toString() {
            return "anonymous";
        }
    };

    /** Whether a private update with these topics may be delivered (a grant matching any one topic). */
    boolean canReceivePrivate(List<String> topics);

    /** When the connection must be closed (the token's {@code exp}), or {@code null} for never. */
    Instant expiresAt();

    /**
     * The {@code payload} of the subscription whose own matcher string is {@code matcherValue}
     * (Mercure §"Payloads"), as compact JSON object text; empty for an anonymous subscriber.
     */
    default Optional<String> payloadFor(String matcherValue) {
        return Optional.empty();
    }
}
