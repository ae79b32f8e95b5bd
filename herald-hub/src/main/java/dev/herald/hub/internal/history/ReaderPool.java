package dev.herald.hub.internal.history;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;

/**
 * Read-only connections to the history file, each with its prepared statements, handed to one
 * reading thread at a time (a SQLite connection must not be used by two threads at once). In WAL
 * mode readers never wait for the writer, and each statement sees every transaction committed before
 * it started (https://sqlite.org/wal.html).
 *
 * <p>Thread-safe.
 */
final class ReaderPool implements AutoCloseable {

    /** How long a read waits for a free connection before giving up. */
    static final Duration BORROW_TIMEOUT = Duration.ofSeconds(5);

    private final String url;
    private final String file;
    private final int max;
    private final BlockingQueue<Reader> idle;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    ReaderPool(String url, String file, int max) {
        this.url = url;
        this.file = file;
        this.max = max;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    /** The id stored at {@code sequence}, or {@code null} when there is none (dropped, or never stored). */
    String idAt(long sequence) {
        Reader r = borrow();
        boolean healthy = false;
        try {
            r.idAt.setLong(1, sequence);
            String id = null;
            try (ResultSet rs = r.idAt.executeQuery()) {
                if (rs.next()) {
                    id = rs.getString(1);
                }
            }
            healthy = true;
            return id;
        } catch (SQLException e) {
            throw SqliteErrors.unavailable("cannot read the history " + file, e);
        } finally {
            giveBack(r, healthy);
        }
    }

    /**
     * The earliest sequence after {@code afterSequence} with this id, or -1, by reading the whole
     * table: for the rare cases the in-memory index cannot answer (hash collision, reused id).
     */
    long scan(String id, long afterSequence) {
        Reader r = borrow();
        boolean healthy = false;
        try {
            r.scan.setString(1, id);
            r.scan.setLong(2, afterSequence);
            long seq = -1;
            try (ResultSet rs = r.scan.executeQuery()) {
                if (rs.next()) {
                    long s = rs.getLong(1);
                    seq = rs.wasNull() ? -1 : s;
                }
            }
            healthy = true;
            return seq;
        } catch (SQLException e) {
            throw SqliteErrors.unavailable("cannot read the history " + file, e);
        } finally {
            giveBack(r, healthy);
        }
    }

    List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
        Reader r = borrow();
        boolean healthy = false;
        try {
            r.read.setLong(1, afterSequence);
            r.read.setLong(2, upToSequence);
            r.read.setInt(3, limit);
            List<HistoryEntry> out = new ArrayList<>(Math.min(limit, 256));
            try (ResultSet rs = r.read.executeQuery()) {
                while (rs.next()) {
                    out.add(HistoryEntry.of(rs.getLong(1), rs.getString(2), TopicsCodec.decode(rs.getBytes(3)),
                            rs.getInt(4) != 0, rs.getLong(5), rs.getBytes(6), rs.getString(7)));
                }
            }
            healthy = true;
            return out.isEmpty() ? Collections.emptyList() : out;
        } catch (SQLException e) {
            throw SqliteErrors.unavailable("cannot read the history " + file, e);
        } finally {
            giveBack(r, healthy);
        }
    }

    private Reader borrow() {
        if (closed) {
            throw new IllegalStateException("history closed");
        }
        Reader r = idle.poll();
        if (r != null) {
            return r;
        }
        if (open.incrementAndGet() <= max) {
            try {
                return new Reader(url);
            } catch (SQLException e) {
                open.decrementAndGet();
                throw SqliteErrors.unavailable("cannot open the history " + file + " for reading", e);
            }
        }
        open.decrementAndGet();
        try {
            r = idle.poll(BORROW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryUnavailableException("interrupted while waiting to read the history", Duration.ofSeconds(1), e);
        }
        if (r == null) {
            throw new HistoryUnavailableException("every history reader busy for " + BORROW_TIMEOUT,
                    Duration.ofSeconds(1), null);
        }
        return r;
    }

    /** A connection whose statement failed is closed rather than reused: its state is unknown. */
    private void giveBack(Reader r, boolean healthy) {
        if (healthy && !closed && idle.offer(r)) {
            if (closed && idle.remove(r)) { // close() ran meanwhile and missed it
                r.close();
                open.decrementAndGet();
            }
            return;
        }
        r.close();
        open.decrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        Reader r;
        while ((r = idle.poll()) != null) {
            r.close();
            open.decrementAndGet();
        }
    }

    /** One read-only connection and its statements. Used by one thread at a time. */
    private static final class Reader {
        final Connection connection;
        final PreparedStatement idAt;
        final PreparedStatement scan;
        final PreparedStatement read;

        Reader(String url) throws SQLException {
            connection = new SQLiteConfig().createConnection(url);
            try {
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA busy_timeout=" + SqliteHistoryStore.BUSY_TIMEOUT.toMillis());
                    s.execute("PRAGMA query_only=ON");
                }
                idAt = connection.prepareStatement("SELECT id FROM events WHERE seq = ?");
                scan = connection.prepareStatement("SELECT min(seq) FROM events WHERE id = ? AND seq > ?");
                read = connection.prepareStatement("SELECT seq, id, topics, private, ts, frame, ckey FROM events"
                        + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }

        void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing else to do with it
            }
        }
    }
}
