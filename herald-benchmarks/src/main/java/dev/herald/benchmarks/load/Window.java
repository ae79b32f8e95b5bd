package dev.herald.benchmarks.load;

/**
 * The measurement window as the subscribers see it: the publish sequence numbers that belong to it
 * ({@code [from, to)}, where {@code to} stays open until the window ends) and whether it is open
 * now in time (for arrivals: events of any sequence received while it is).
 *
 * <p>Thread-safe: set by the command thread, read by the event loops (volatile fields).
 */
final class Window {

    private volatile long from = Long.MAX_VALUE;
    private volatile long to = Long.MAX_VALUE;
    private volatile boolean open;

    /** The window holds the publish sequences from {@code fromSequence} on. */
    void open(long fromSequence) {
        from = fromSequence;
    }

    /** From now until {@link #close}, arrivals are counted. */
    void startArrivals() {
        open = true;
    }

    /** Closes the window: sequences from {@code toSequence} on are outside it, and arrivals no longer count. */
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
