package dev.herald.sse;

/**
 * Receives what an {@link SseParser} finds in a stream.
 *
 * <p>Called on the thread that feeds the parser, in stream order. Implementations need not be
 * thread-safe unless they share state with other threads.
 */
public interface SseListener {

    /** An event was dispatched (a blank line ended a block with at least one {@code data} field). */
    void onEvent(SseEvent event);

    /** A valid {@code retry} field set the reconnection time, in milliseconds. */
    default void onRetry(long retryMillis) {
    }

    /** A comment line (its text after the colon, without a leading space being stripped). */
    default void onComment(String comment) {
    }
}
