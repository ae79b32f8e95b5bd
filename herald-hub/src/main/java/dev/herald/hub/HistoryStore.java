package dev.herald.hub;

import java.util.List;

/**
 * Where the hub keeps published updates so that a reconnecting subscriber can catch up
 * (Mercure §"Reconnection, State Reconciliation"). The hub numbers updates with a gapless
 * sequence; a store keeps a suffix of that sequence, dropping the oldest entries by its own
 * retention policy.
 *
 * <p>Contract: {@link #append} is called by one thread at a time, in increasing sequence order, and
 * returns once the entry is stored (durably, for a durable store): the hub acknowledges a publish
 * only afterwards. Reads may come from any thread concurrently with appends and must see every
 * entry whose {@code append} returned. Implementations must be thread-safe.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Stores {@code entry}.
     *
     * @throws HistoryUnavailableException if the store cannot take it now (disk full, connection
     *         lost); the hub answers the publisher 503 and does not dispatch the update
     */
    void append(HistoryEntry entry);

    /**
     * The sequence of the earliest entry kept whose id is {@code id}, or {@code -1} when no kept
     * entry has it (never seen, or dropped by retention).
     */
    long findSequence(String id);

    /**
     * Up to {@code limit} entries with {@code afterSequence < sequence <= upToSequence}, in order.
     * Fewer than asked (possibly none) when the store holds fewer in that range.
     */
    List<HistoryEntry> read(long afterSequence, long upToSequence, int limit);

    /** The sequence of the oldest entry kept, or {@code -1} when empty. */
    long oldestSequence();

    /** The highest sequence ever appended (also after a restart, for a durable store), or 0. */
    long lastSequence();

    /** Whether reads may block (disk, network): the hub then reads off its event loops. */
    default boolean isBlocking() {
        return false;
    }

    /** Releases resources. Appends and reads after this fail. */
    @Override
    void close();
}
