package dev.herald.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * What a history keeps: at most {@code maxEvents} updates, none older than {@code maxAge}, at most
 * {@code maxBytes} of them (SSE frames and topics). The oldest go first.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxEvents most updates kept, &gt; 0
 * @param maxAge oldest update kept, &gt; 0
 * @param maxBytes most bytes of updates kept, &gt; 0
 */
public record HistoryRetention(long maxEvents, Duration maxAge, long maxBytes) {

    public HistoryRetention {
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
}
