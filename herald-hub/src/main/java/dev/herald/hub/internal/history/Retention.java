package dev.herald.hub.internal.history;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history a store keeps: at most {@code maxEvents} updates, none older than {@code maxAge},
 * and at most {@code maxBytes} of stored updates (their SSE frames and topics). Whichever bound is
 * reached first drops the oldest updates. Immutable and thread-safe.
 */
public record Retention(long maxEvents, Duration maxAge, long maxBytes) {

    public Retention {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("maxEvents: " + maxEvents + " (expected: > 0)");
        }
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
    }

    /** Only a count bound (age and size unbounded). */
    public static Retention ofEvents(long maxEvents) {
        return new Retention(maxEvents, Duration.ofMillis(Long.MAX_VALUE), Long.MAX_VALUE);
    }

    /** The oldest timestamp, in epoch milliseconds, that {@code maxAge} lets a store keep at {@code nowMillis}. */
    long oldestAllowedMillis(long nowMillis) {
        long age = maxAge.toMillis();
        return nowMillis - age > nowMillis ? Long.MIN_VALUE : nowMillis - age;
    }
}
