package dev.herald.hub.internal.history;

/**
 * A history store that knows how many bytes it keeps, as counted against {@link Retention#maxBytes()}:
 * the built-in stores, for {@code herald_history_bytes}. Implementations answer without blocking
 * (metrics are scraped on an event loop) and are thread-safe.
 */
public interface MeasuredHistory {

    /** Bytes the kept updates count for (their SSE frames and topics). */
    long storedBytes();
}
