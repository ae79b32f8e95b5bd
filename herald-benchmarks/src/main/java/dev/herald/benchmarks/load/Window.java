package dev.herald.benchmarks.load;

/**
 * The measurement window as the subscribers see it: the publish sequence numbers that belong to it
 * ({@code [from, to)}, where {@code to} stays open until the window ends) and whether it is open
 * now (for arrivals counted by time).
 *
 * <p>Thread-safe: set by the command thread, read by the event loops (volatile fields).
 */
final class Window {

    private volatile long from = Long.MAX_VALUE;
    private volatile long to = Long.MAX_VALUE;
    private volatile boolean open;

    /** Opens the window at publish sequence {@code fromSequence}. */
    void open(long fromSequence) {
        from = fromSequence;
        open = true;
    }

    /** Closes the window: sequences from {@code toSequence} on are outside it. */
    void close(long toSequence) {
        to = toSequence;
        open = false;
    }

    boolean isOpen() {
        return open;
    }

    boolean contains(long sequence) {
        return sequence >= from && sequence < to;
    }
}
