package dev.herald.hub;

import java.util.List;

/**
 * The reads the hub makes of its history to replay updates to a reconnecting subscriber (Mercure
 * §"Reconnection, State Reconciliation"): a look-up of the {@code Last-Event-ID}, then pages of
 * entries by sequence. A {@link HistoryStore} is one; so is the history an {@link UpdateTransport}
 * shares between the hubs of a cluster.
 *
 * <p>Contract: reads may come from any thread, concurrently with appends, and see every entry
 * whose append was acknowledged, unless retention dropped it since. Retention only ever drops the
 * oldest entries, so what is kept is always one run of consecutive sequences. Implementations must
 * be thread-safe.
 */
public interface HistoryReader {

    /**
     * The sequence of the earliest entry kept whose id is {@code id}, or {@code -1} when no kept
     * entry has it (never seen, or dropped by retention).
     */
    long findSequence(String id);

    /**
     * Up to {@code limit} entries with {@code afterSequence < sequence <= upToSequence}, in order.
     * Fewer than asked (possibly none) when the history holds fewer in that range.
     */
    List<HistoryEntry> read(long afterSequence, long upToSequence, int limit);

    /** The sequence of the oldest entry kept, or {@code -1} when empty. */
    long oldestSequence();

    /** The highest sequence ever appended (also after a restart, for a durable history), or 0. */
    long lastSequence();

    /**
     * Whether reads may block (disk, network). The hub then reads on a small pool of its own, never
     * on an event loop; otherwise it reads on the event loops, and each read must return in
     * microseconds.
     */
    default boolean isBlocking() {
        return false;
    }
}
