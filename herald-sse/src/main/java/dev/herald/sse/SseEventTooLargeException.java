package dev.herald.sse;

/**
 * Thrown by {@link SseParser} when one event (its pending lines and data) grows past the configured
 * maximum, so that a hostile or broken stream cannot make the parser buffer without bound.
 *
 * <p>The parser's state is undefined afterwards; drop the connection, then {@link SseParser#reset()}
 * before reusing it. Instances are immutable and thread-safe.
 */
public final class SseEventTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int maxEventSize;

    public SseEventTooLargeException(int maxEventSize) {
        super("event larger than " + maxEventSize + " bytes (maxEventSize)");
        this.maxEventSize = maxEventSize;
    }

    /** The limit that was exceeded, in bytes. */
    public int maxEventSize() {
        return maxEventSize;
    }
}
