package dev.herald.client;

import dev.herald.sse.SseEventTooLargeException;

/**
 * One event (its pending line plus its data) grew past the configured
 * {@linkplain EventSourceConfig#maxEventSize() maximum event size}. The client dropped the connection,
 * so that a broken or hostile server cannot make it buffer without bound, and reconnects (with backoff
 * while attempts keep failing) from the last complete event's ID.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class EventTooLargeException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final int maxEventSize;

    /** An oversized event, as reported by the parser. */
    public EventTooLargeException(SseEventTooLargeException cause) {
        super("event larger than " + cause.maxEventSize() + " bytes (maxEventSize)", cause);
        this.maxEventSize = cause.maxEventSize();
    }

    /** The limit that was exceeded, in bytes. */
    public int maxEventSize() {
        return maxEventSize;
    }
}
