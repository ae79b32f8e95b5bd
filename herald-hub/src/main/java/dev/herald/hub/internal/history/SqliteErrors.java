package dev.herald.hub.internal.history;

import dev.herald.hub.HistoryUnavailableException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Turns SQLite failures into what the hub tells people: a publisher gets {@code 503} with a
 * {@code Retry-After} suited to the cause; an operator reads the cause in plain words. Primary result
 * codes from https://sqlite.org/rescode.html (extended codes carry them in their low byte).
 * Stateless and thread-safe.
 */
final class SqliteErrors {

    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_NOMEM = 7;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_NOTADB = 26;

    /** Retry-After when the disk is full: space seldom comes back within a second. */
    static final Duration RETRY_AFTER_FULL = Duration.ofSeconds(5);
    /** Retry-After for transient failures (busy, I/O). */
    static final Duration RETRY_AFTER_OTHER = Duration.ofSeconds(1);

    private SqliteErrors() {
    }

    static int primaryCode(SQLException e) {
        return e.getErrorCode() & 0xFF;
    }

    static boolean isFull(SQLException e) {
        return primaryCode(e) == SQLITE_FULL;
    }

    static boolean isCorrupt(SQLException e) {
        int c = primaryCode(e);
        return c == SQLITE_CORRUPT || c == SQLITE_NOTADB;
    }

    static boolean isReadOnly(SQLException e) {
        return primaryCode(e) == SQLITE_READONLY;
    }

    /** A short cause: "disk full", "I/O error (…)", the driver's message otherwise. */
    static String describe(SQLException e) {
        switch (primaryCode(e)) {
            case SQLITE_FULL:
                return "disk full (" + e.getMessage() + ")";
            case SQLITE_IOERR:
                return "I/O error (" + e.getMessage() + ")";
            case SQLITE_READONLY:
                return "read-only (" + e.getMessage() + ")";
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB:
                return "corrupt (" + e.getMessage() + ")";
            default:
                return e.getMessage();
        }
    }

    static HistoryUnavailableException unavailable(String what, SQLException e) {
        Duration retry = isFull(e) ? RETRY_AFTER_FULL : RETRY_AFTER_OTHER;
        return new HistoryUnavailableException(what + ": " + describe(e), retry, e);
    }
}
