package dev.herald.hub;

/**
 * Which built-in {@link HistoryStore} a hub uses when none is supplied
 * ({@link Hub.Builder#historyStore}).
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum HistoryKind {

    /**
     * An embedded SQLite database in WAL mode, one file under {@link HubConfig#dataDir()}: the history
     * survives restarts and crashes, and a publish is acknowledged only once stored (see
     * {@link Durability}). The default.
     */
    SQLITE,

    /** A bounded ring in memory: fastest, but a restart forgets every update. */
    MEMORY
}
