package dev.herald.hub;

/**
 * When the {@link HistoryKind#SQLITE SQLite} history counts an update as stored, and so when the
 * publisher gets its {@code 200}. In both modes the hub writes the publishes that arrive together in
 * one transaction (group commit), and the database stays consistent whatever happens.
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum Durability {

    /**
     * Acknowledged once the transaction is written to the operating system (SQLite
     * {@code synchronous=NORMAL}); the file is flushed to the disk by a background checkpoint about
     * every second. Survives a crash of the hub process ({@code SIGKILL}, out of memory) and restarts.
     * Risk: a power loss or kernel crash can lose the updates acknowledged in roughly the last second.
     * The default.
     */
    BATCH,

    /**
     * Acknowledged once the transaction is flushed to the disk ({@code fsync}, SQLite
     * {@code synchronous=FULL}). Also survives a power loss or kernel crash, provided the disk honours
     * flushes. Costs one {@code fsync} per group commit: fewer publishes per second, higher latency.
     */
    FSYNC
}
