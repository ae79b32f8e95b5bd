package dev.herald.hub;

import java.util.List;

/**
 * Where the hub keeps published updates so that a reconnecting subscriber can catch up
 * (Mercure §"Reconnection, State Reconciliation"). The hub numbers updates with a gapless
 * sequence; a store keeps a suffix of that sequence, dropping the oldest entries by its own
 * retention policy.
 *
 * <p>Contract: {@link #append} and {@link #appendAll} are called by one thread at a time, in
 * increasing sequence order without gaps, and return once the entries are stored (durably, for a
 * durable store): the hub acknowledges a publish, and hands it to live subscribers, only afterwards.
 * Reads ({@link HistoryReader}) may come from any thread concurrently with appends and must see every
 * entry whose append returned, unless retention dropped it since. Retention only ever drops the
 * oldest entries, so what a store keeps is always one run of consecutive sequences. Implementations
 * must be thread-safe.
 *
 * <p>A store serves one hub. Hubs acting as one cluster share an {@link UpdateTransport} instead,
 * which orders the updates itself and keeps the history they replay from.
 */
public interface HistoryStore extends HistoryReader, AutoCloseable {

    /**
     * Stores {@code entry}.
     *
     * @throws HistoryUnavailableException if the store cannot take it now (disk full, connection
     *         lost); the hub answers the publisher 503 and does not dispatch the update
     */
    void append(HistoryEntry entry);

    /**
     * Stores {@code entries} (consecutive sequences, in order). The hub collects the publishes that
     * arrive while the previous call runs and hands them over together, so a store that writes them in
     * one transaction pays for one commit (one {@code fsync}) per call instead of one per update.
     *
     * <p>If it throws, some leading entries may have been stored (none, for a store that writes them
     * in one transaction): the hub then asks {@link #lastSequence()}, acknowledges and dispatches the
     * entries up to it, and refuses the rest. The default appends them one by one.
     *
     * @throws HistoryUnavailableException if the store cannot take them now
     */
    default void appendAll(List<HistoryEntry> entries) {
        for (HistoryEntry e : entries) {
            append(e);
        }
    }

    /**
     * Whether appends and reads may block (disk, network). For a blocking store the hub appends on
     * one dedicated writer thread, in batches ({@link #appendAll}), and reads on a small pool, never
     * on an event loop. A non-blocking store is appended to inline by the publishing thread, under
     * the hub's sequencing lock, and read on the event loops: its methods must return in microseconds.
     */
    @Override
    default boolean isBlocking() {
        return false;
    }

    /** Releases resources. Appends and reads after this fail. */
    @Override
    void close();
}
