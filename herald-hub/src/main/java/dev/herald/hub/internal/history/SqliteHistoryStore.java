package dev.herald.hub.internal.history;

import dev.herald.hub.Durability;
import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryStore;
import dev.herald.hub.HubStartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The durable {@link HistoryStore}: one SQLite database in WAL mode ({@value #FILE_NAME} in the data
 * directory), one row per update keyed by its sequence, with an index on the event id.
 *
 * <ul>
 * <li>Writes go through one connection: {@link #appendAll} stores a batch in one transaction, whose
 *     commit is made durable as {@link Durability} says.</li>
 * <li>Reads use a small pool of other connections; in WAL mode they never wait for the writer.</li>
 * <li>A maintenance thread applies {@link Retention} about every second (sooner when a bound is
 *     exceeded by a margin), deleting the oldest rows in transactions of at most
 *     {@value #RETENTION_CHUNK} rows, so a publish never waits for more than one such step; and it
 *     checkpoints the WAL into the database file on its own connection, off the publish path.</li>
 * <li>Opening recovers the WAL (SQLite does, on first access), runs {@code PRAGMA quick_check}, and
 *     proves the file writable; any failure stops the hub with the path, the cause and what to do,
 *     never an empty history in its place. A lock file keeps a second hub out of the directory.</li>
 * </ul>
 *
 * <p>Thread-safe: appends and retention serialize on the write lock; reads run concurrently.
 */
public final class SqliteHistoryStore implements HistoryStore, MeasuredHistory, WriteProbe {

    private static final Logger log = LoggerFactory.getLogger(SqliteHistoryStore.class);

    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "history.db";
    /** {@code PRAGMA application_id} of a Herald history ("HRLD"): tells it apart from other SQLite files. */
    static final int APPLICATION_ID = 0x48524C44;
    /**
     * {@code PRAGMA user_version}: the schema this code writes. 2 added {@code events.ckey}, the
     * conflation key; a version 1 file is upgraded in place when opened (the column is added, empty
     * for the updates it holds).
     */
    static final int SCHEMA_VERSION = 2;
    /** Rows deleted per retention transaction: bounds how long a publish can wait behind retention. */
    static final int RETENTION_CHUNK = 2_000;
    /** How often retention and the checkpoint run. */
    static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(1);
    /** Rows per multi-row INSERT. */
    static final int ROWS_PER_INSERT = 16;
    /** Columns bound per inserted row. */
    private static final int COLUMNS = 7;
    /** Read connections at most. */
    static final int MAX_READERS = 4;
    /** How long a connection waits for a lock (another hub's checkpoint, a backup tool) before failing. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);
    /** WAL pages after which the writer checkpoints by itself: a safety net if the background checkpoint falls behind. */
    static final int AUTO_CHECKPOINT_PAGES = 16_384;
    /** Size the WAL file is truncated back to after a checkpoint reset it. */
    static final long JOURNAL_SIZE_LIMIT = 64L * 1024 * 1024;

    private final Path file;
    private final Durability durability;
    private final Retention retention;
    private final DataDirLock dirLock;
    private final Connection writer;
    /** Prepared again after a failed write: the driver may have finalized it. Guarded by writeLock. */
    private PreparedStatement insert;
    /** Inserts {@value #ROWS_PER_INSERT} rows in one statement: one step instead of one per row. Guarded by writeLock. */
    private PreparedStatement insertMany;
    /** Transaction control, issued as statements so the connection's state is always SQLite's own. */
    private Statement transactions;
    private final Connection checkpointer;
    private final ReaderPool readers;
    private final ScheduledExecutorService maintenance;
    /** Held for each write transaction (appends and retention steps); fair, so retention cannot starve publishes. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final IdIndex ids;
    private final AtomicBoolean maintenanceRequested = new AtomicBoolean();
    private final AtomicLong commits = new AtomicLong();
    private long commitsAtCheckpoint; // maintenance thread only
    private volatile long last;
    private volatile long oldest; // -1 when empty
    private long oldestTimestamp; // guarded by writeLock
    private volatile long storedBytes; // written under writeLock; read without it (metrics)
    private volatile boolean closed;

    private SqliteHistoryStore(Path file, Durability durability, Retention retention, DataDirLock dirLock,
                               Connection writer, Connection checkpointer, State state) throws SQLException {
        this.file = file;
        this.durability = durability;
        this.retention = retention;
        this.dirLock = dirLock;
        this.writer = writer;
        this.checkpointer = checkpointer;
        this.last = state.last;
        this.oldest = state.oldest;
        this.oldestTimestamp = state.oldestTimestamp;
        this.storedBytes = state.bytes;
        this.ids = state.ids;
        prepareStatements();
        this.readers = new ReaderPool(url(file), file.toString(), MAX_READERS);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-history-maintenance");
            t.setDaemon(true);
            return t;
        });
        long period = MAINTENANCE_INTERVAL.toMillis();
        maintenance.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens (creating if needed) the history in {@code dataDir}, recovers and verifies it.
     *
     * @throws HubStartException with the path, the cause and what to do, if the directory cannot be
     *         created or is used by another hub, or the file is corrupt, read-only or not a Herald history
     */
    public static SqliteHistoryStore open(Path dataDir, Durability durability, Retention retention) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(retention, "retention");
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HubStartException("cannot create the data directory " + dir + " (" + e
                    + "); create it writable by the hub's user, or choose another with --data-dir", e);
        }
        DataDirLock lock = DataDirLock.acquire(dir);
        Path file = dir.resolve(FILE_NAME);
        Connection writer = null;
        Connection checkpointer = null;
        try {
            writer = openWriter(file, durability);
            State state = State.load(writer);
            checkpointer = new SQLiteConfig().createConnection(url(file));
            configure(checkpointer, durability);
            SqliteHistoryStore store = new SqliteHistoryStore(file, durability, retention, lock, writer, checkpointer,
                    state);
            log.info("history: {} ({} updates kept, sequences {}..{}, durability {})", file,
                    state.oldest < 0 ? 0 : state.last - state.oldest + 1, state.oldest < 0 ? "-" : state.oldest,
                    state.last, durability.name().toLowerCase(java.util.Locale.ROOT));
            return store;
        } catch (SQLException e) {
            closeQuietly(checkpointer);
            closeQuietly(writer);
            lock.close();
            throw startFailure(file, e);
        } catch (RuntimeException e) {
            closeQuietly(checkpointer);
            closeQuietly(writer);
            lock.close();
            throw e;
        }
    }

    private static Connection openWriter(Path file, Durability durability) throws SQLException {
        Connection c = new SQLiteConfig().createConnection(url(file));
        try {
            configure(c, durability);
            try (Statement s = c.createStatement()) {
                // Fails with SQLITE_NOTADB on a file that is not a database at all.
                int tables = intQuery(s, "SELECT count(*) FROM sqlite_schema");
                int applicationId = intQuery(s, "PRAGMA application_id");
                int version = intQuery(s, "PRAGMA user_version");
                if (tables > 0 && applicationId != APPLICATION_ID) {
                    throw new HubStartException(file + " is not a Herald history (another program's SQLite database):"
                            + " choose another --data-dir, or move the file aside", null);
                }
                if (version > SCHEMA_VERSION) {
                    throw new HubStartException(file + " was written by a newer Herald (history schema " + version
                            + ", this version reads up to " + SCHEMA_VERSION + "): run that version, or move the file"
                            + " aside to start with an empty history", null);
                }
                // Checked before anything is written: a damaged file is refused as the operator left
                // it, for a backup or a recovery tool, never first changed by the hub.
                String check = stringQuery(s, "PRAGMA quick_check");
                if (!"ok".equals(check)) {
                    throw new SQLException("quick_check: " + check, null, SqliteErrors.SQLITE_CORRUPT);
                }
                String mode = stringQuery(s, "PRAGMA journal_mode=WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("cannot switch to WAL mode (journal_mode is " + mode + ")",
                            null, SqliteErrors.SQLITE_READONLY);
                }
                if (tables == 0) {
                    createSchema(s);
                } else if (version == 1) {
                    upgradeFromVersion1(s);
                }
                s.execute("DROP INDEX IF EXISTS events_by_id"); // written by development builds
                s.execute("DELETE FROM meta WHERE key = 'write_probe'"); // left by a probe whose delete failed
                // Proves the file writable now rather than at the first publish: SQLite opens a file
                // it may not write read-only without complaint.
                s.executeUpdate("INSERT OR REPLACE INTO meta(key, value) VALUES ('opened_at', "
                        + System.currentTimeMillis() + ")");
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void configure(Connection c, Durability durability) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT.toMillis());
            // WAL: NORMAL syncs at checkpoints only (an OS crash may lose the last commits, never
            // consistency); FULL syncs the WAL at every commit. https://sqlite.org/pragma.html#pragma_synchronous
            s.execute("PRAGMA synchronous=" + (durability == Durability.FSYNC ? "FULL" : "NORMAL"));
            s.execute("PRAGMA wal_autocheckpoint=" + AUTO_CHECKPOINT_PAGES);
            s.execute("PRAGMA journal_size_limit=" + JOURNAL_SIZE_LIMIT);
        }
    }

    private static void createSchema(Statement s) throws SQLException {
        s.execute("BEGIN IMMEDIATE");
        s.execute("PRAGMA application_id=" + APPLICATION_ID);
        s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        s.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        s.execute("CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, topics BLOB NOT NULL,"
                + " private INTEGER NOT NULL, ts INTEGER NOT NULL, frame BLOB NOT NULL, ckey TEXT)");
        // No index on id: random ids would dirty a random index page per update at every commit;
        // the id index is kept in memory (IdIndex).
        s.execute("COMMIT");
    }

    /** Adds the conflation key column (schema 2); a constant-time change in SQLite, whatever the table's size. */
    private static void upgradeFromVersion1(Statement s) throws SQLException {
        s.execute("BEGIN IMMEDIATE");
        s.execute("ALTER TABLE events ADD COLUMN ckey TEXT");
        s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        s.execute("COMMIT");
    }

    /** What the file holds at start-up. */
    private record State(long oldest, long last, long oldestTimestamp, long bytes, IdIndex ids) {

        static State load(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                long min;
                long max;
                long bytes;
                try (ResultSet rs = s.executeQuery(
                        "SELECT min(seq), max(seq), coalesce(sum(length(topics) + length(frame)), 0) FROM events")) {
                    rs.next();
                    min = rs.getLong(1);
                    min = rs.wasNull() ? -1 : min;
                    max = rs.getLong(2);
                    max = rs.wasNull() ? 0 : max;
                    bytes = rs.getLong(3);
                }
                long deletedThrough = 0;
                try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'deleted_through'")) {
                    if (rs.next()) {
                        deletedThrough = rs.getLong(1);
                    }
                }
                long ts = 0;
                if (min > 0) {
                    try (ResultSet rs = s.executeQuery("SELECT ts FROM events WHERE seq = " + min)) {
                        rs.next();
                        ts = rs.getLong(1);
                    }
                }
                IdIndex ids = new IdIndex();
                try (ResultSet rs = s.executeQuery("SELECT seq, id FROM events ORDER BY seq")) {
                    while (rs.next()) {
                        ids.add(rs.getString(2), rs.getLong(1));
                    }
                }
                // Sequences continue after a restart even when retention deleted every row.
                return new State(min, Math.max(max, deletedThrough), ts, bytes, ids);
            }
        }
    }

    private void prepareStatements() throws SQLException {
        String sql = "INSERT INTO events(seq, id, topics, private, ts, frame, ckey) VALUES (?, ?, ?, ?, ?, ?, ?)";
        insert = writer.prepareStatement(sql);
        insertMany = writer.prepareStatement(sql + ", (?, ?, ?, ?, ?, ?, ?)".repeat(ROWS_PER_INSERT - 1));
        transactions = writer.createStatement();
    }

    /** Binds {@code e} as the row starting at parameter {@code first}; returns the bytes it counts for. */
    private static long bind(PreparedStatement st, int first, HistoryEntry e) throws SQLException {
        byte[] topics = TopicsCodec.encode(e.topics());
        st.setLong(first, e.sequence());
        st.setString(first + 1, e.id());
        st.setBytes(first + 2, topics);
        st.setInt(first + 3, e.isPrivate() ? 1 : 0);
        st.setLong(first + 4, e.timestampMillis());
        st.setBytes(first + 5, e.frame());
        st.setString(first + 6, e.conflationKey());
        return topics.length + e.frame().length;
    }

    @Override
    public void append(HistoryEntry entry) {
        appendAll(List.of(entry));
    }

    /** Stores {@code entries} in one transaction: all of them, or (on a failure) none. */
    @Override
    public void appendAll(List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        boolean overBound;
        writeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("history closed");
            }
            long expected = last + 1;
            for (HistoryEntry e : entries) {
                if (e.sequence() != expected++) {
                    throw new IllegalArgumentException("sequence: " + e.sequence() + " (expected: " + (expected - 1) + ")");
                }
            }
            long bytes = 0;
            try {
                if (insert == null) {
                    prepareStatements();
                }
                transactions.execute("BEGIN IMMEDIATE");
                int i = 0;
                for (; entries.size() - i >= ROWS_PER_INSERT; i += ROWS_PER_INSERT) {
                    for (int r = 0; r < ROWS_PER_INSERT; r++) {
                        bytes += bind(insertMany, 1 + COLUMNS * r, entries.get(i + r));
                    }
                    insertMany.executeUpdate();
                }
                for (; i < entries.size(); i++) {
                    bytes += bind(insert, 1, entries.get(i));
                    insert.executeUpdate();
                }
                transactions.execute("COMMIT");
            } catch (SQLException e) {
                rollbackQuietly();
                throw SqliteErrors.unavailable("cannot store updates in " + file, e);
            }
            for (HistoryEntry e : entries) {
                ids.add(e.id(), e.sequence());
            }
            if (oldest < 0) {
                oldestTimestamp = entries.get(0).timestampMillis();
                oldest = entries.get(0).sequence();
            }
            storedBytes += bytes;
            last = entries.get(entries.size() - 1).sequence();
            commits.incrementAndGet();
            overBound = last - oldest + 1 > retention.maxEvents() + RETENTION_CHUNK / 2
                    || storedBytes - retention.maxBytes() > Math.max(retention.maxBytes() / 16, 64 * 1024);
        } finally {
            writeLock.unlock();
        }
        if (overBound) {
            requestMaintenance();
        }
    }

    /**
     * Ends the failed transaction and drops the statements, which the driver may have finalized;
     * the next write prepares them again.
     */
    private void rollbackQuietly() {
        try (Statement s = writer.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            // SQLite may have rolled back by itself (it does on some SQLITE_FULL and I/O errors):
            // then no transaction is open, which is the state wanted
            log.debug("rollback after a failed write: {}", e.toString());
        }
        closeQuietly(insert);
        closeQuietly(insertMany);
        closeQuietly(transactions);
        insert = null;
        insertMany = null;
        transactions = null;
    }

    /** Only a full disk ({@code SQLITE_FULL}): a damaged table or an I/O error is ended by a stored update. */
    @Override
    public boolean probes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return SqliteErrors.isFull(e);
            }
        }
        return false;
    }

    /**
     * Commits a scratch row of {@code bytes} (in {@code meta}, never in the updates), then deletes
     * it. Two commits rather than one that inserts and deletes: a transaction that frees what it
     * allocated may never write those pages, and the point is to prove there is room for them. The
     * freed pages are then reused by the next appends. A row a failed delete left behind is removed by
     * the next probe or at the next start.
     */
    @Override
    public void probeWrite(int bytes) {
        writeLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("history closed");
            }
            try {
                if (insert == null) {
                    prepareStatements();
                }
                transactions.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('write_probe', zeroblob("
                        + Math.max(0, bytes) + "))");
                transactions.execute("DELETE FROM meta WHERE key = 'write_probe'");
            } catch (SQLException e) {
                rollbackQuietly();
                throw SqliteErrors.unavailable("cannot write to " + file, e);
            }
            commits.incrementAndGet();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long findSequence(String id) {
        long candidate = ids.find(id);
        if (candidate < 0) {
            return -1;
        }
        if (id.equals(readers.idAt(candidate))) {
            return candidate;
        }
        // a hash collision, or retention dropped that row a moment ago: ask the table itself
        long first = oldest;
        return readers.scan(id, first > 0 ? first - 1 : 0);
    }

    @Override
    public List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
        if (limit <= 0 || afterSequence >= upToSequence) {
            return List.of();
        }
        return readers.read(afterSequence, upToSequence, limit);
    }

    @Override
    public long oldestSequence() {
        return oldest;
    }

    @Override
    public long lastSequence() {
        return last;
    }

    @Override
    public boolean isBlocking() {
        return true;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    public Durability durability() {
        return durability;
    }

    /** Bytes the kept updates count for against {@link Retention#maxBytes()}. */
    @Override
    public long storedBytes() {
        return storedBytes; // volatile: never waits for a commit in progress
    }

    /**
     * Caps the database at {@code pages} pages for the writer (SQLite's {@code max_page_count}, a
     * per-connection setting): past it, writes fail with {@code SQLITE_FULL} exactly as on a full
     * disk. A test seam, to exercise the full-disk path without filling a disk.
     */
    void capPages(long pages) {
        writeLock.lock();
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA max_page_count=" + pages);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The database's size now, in pages. */
    long pageCount() {
        writeLock.lock();
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            writeLock.unlock();
        }
    }

    private void requestMaintenance() {
        if (maintenanceRequested.compareAndSet(false, true)) {
            try {
                maintenance.execute(this::maintain);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                maintenanceRequested.set(false);
            }
        }
    }

    private void maintain() {
        maintenanceRequested.set(false);
        try {
            applyRetention();
        } catch (RuntimeException e) {
            log.warn("history retention failed; will retry", e);
        }
        try {
            checkpoint();
        } catch (RuntimeException e) {
            log.warn("history checkpoint failed; will retry", e);
        }
    }

    /**
     * Drops what {@link Retention} no longer allows, oldest first, in steps of at most
     * {@value #RETENTION_CHUNK} rows; returns how many were dropped. Runs by itself in the background;
     * callable directly (tests, tools).
     */
    public long applyRetention() {
        long total = 0;
        long n;
        while (!closed && (n = retentionStep(System.currentTimeMillis())) > 0) {
            total += n;
        }
        return total;
    }

    private long retentionStep(long nowMillis) {
        List<String> droppedIds = new java.util.ArrayList<>();
        List<Long> droppedSequences = new java.util.ArrayList<>();
        long n;
        writeLock.lock();
        try {
            if (closed || oldest < 0) {
                return 0;
            }
            long first = oldest;
            long limit = Math.min(last, first - 1 + RETENTION_CHUNK);
            long cutoff = Math.max(first - 1, last - retention.maxEvents());
            long oldestAllowed = retention.oldestAllowedMillis(nowMillis);
            try {
                if (insert == null) {
                    prepareStatements();
                }
                transactions.execute("BEGIN IMMEDIATE");
                if (oldestTimestamp < oldestAllowed && cutoff < limit) {
                    cutoff = Math.max(cutoff, lastExpired(first, limit, oldestAllowed));
                }
                if (storedBytes > retention.maxBytes() && cutoff < limit) {
                    cutoff = Math.max(cutoff, lastOverBytes(first, limit, storedBytes - retention.maxBytes()));
                }
                cutoff = Math.min(cutoff, limit);
                if (cutoff < first) {
                    transactions.execute("ROLLBACK");
                    return 0;
                }
                long bytes = 0;
                long nextTimestamp = 0;
                try (PreparedStatement dropped = writer.prepareStatement(
                        "SELECT seq, id, length(topics) + length(frame) FROM events WHERE seq >= ? AND seq <= ?");
                     PreparedStatement ts = writer.prepareStatement("SELECT ts FROM events WHERE seq = ?");
                     PreparedStatement delete = writer.prepareStatement("DELETE FROM events WHERE seq <= ?");
                     PreparedStatement mark = writer.prepareStatement(
                             "INSERT OR REPLACE INTO meta(key, value) VALUES ('deleted_through', ?)")) {
                    dropped.setLong(1, first);
                    dropped.setLong(2, cutoff);
                    try (ResultSet rs = dropped.executeQuery()) {
                        while (rs.next()) {
                            droppedIds.add(rs.getString(2));
                            droppedSequences.add(rs.getLong(1));
                            bytes += rs.getLong(3);
                        }
                    }
                    if (cutoff < last) {
                        ts.setLong(1, cutoff + 1);
                        try (ResultSet rs = ts.executeQuery()) {
                            nextTimestamp = rs.next() ? rs.getLong(1) : nowMillis;
                        }
                    }
                    delete.setLong(1, cutoff);
                    delete.executeUpdate();
                    mark.setLong(1, cutoff);
                    mark.executeUpdate();
                    transactions.execute("COMMIT");
                }
                storedBytes -= bytes;
                oldestTimestamp = nextTimestamp;
                oldest = cutoff < last ? cutoff + 1 : -1;
                commits.incrementAndGet();
                n = cutoff - first + 1;
            } catch (SQLException e) {
                rollbackQuietly();
                log.warn("history retention could not delete from {}: {}", file, SqliteErrors.describe(e));
                return 0;
            }
        } finally {
            writeLock.unlock();
        }
        // outside the lock: a reused id whose earliest occurrence left is found again by a scan
        for (int i = 0; i < droppedIds.size(); i++) {
            String id = droppedIds.get(i);
            if (ids.remove(id, droppedSequences.get(i))) {
                long next = readers.scan(id, droppedSequences.get(i));
                if (next > 0) {
                    ids.replace(id, next);
                }
            }
        }
        return n;
    }

    /** The end of the run of expired rows starting at {@code first} (within {@code limit}), or first - 1. */
    private long lastExpired(long first, long limit, long oldestAllowed) throws SQLException {
        try (PreparedStatement q = writer.prepareStatement(
                "SELECT min(seq) FROM events WHERE seq >= ? AND seq <= ? AND ts >= ?")) {
            q.setLong(1, first);
            q.setLong(2, limit);
            q.setLong(3, oldestAllowed);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long young = rs.getLong(1);
                return rs.wasNull() ? limit : young - 1;
            }
        }
    }

    /** The smallest cutoff from {@code first} (within {@code limit}) that frees {@code excess} bytes. */
    private long lastOverBytes(long first, long limit, long excess) throws SQLException {
        try (PreparedStatement q = writer.prepareStatement(
                "SELECT seq, length(topics) + length(frame) FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
            q.setLong(1, first);
            q.setLong(2, limit);
            long freed = 0;
            long cutoff = first - 1;
            try (ResultSet rs = q.executeQuery()) {
                while (freed < excess && rs.next()) {
                    cutoff = rs.getLong(1);
                    freed += rs.getLong(2);
                }
            }
            return cutoff;
        }
    }

    /**
     * Copies the WAL into the database file on the checkpoint connection, so the writer never
     * does it on the publish path; in {@link Durability#BATCH} mode this is also what flushes
     * acknowledged updates to the disk (https://sqlite.org/wal.html#ckpt). PASSIVE: never waits
     * for readers or the writer.
     */
    private void checkpoint() {
        long c = commits.get();
        if (closed || c == commitsAtCheckpoint) {
            return;
        }
        try (Statement s = checkpointer.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            commitsAtCheckpoint = c;
        } catch (SQLException e) {
            log.warn("history checkpoint of {} failed: {}", file, SqliteErrors.describe(e));
        }
    }

    /** Stops maintenance and closes every connection (SQLite then folds the WAL into the file) and the lock. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(BUSY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeLock.lock();
        try {
            closed = true;
            readers.close();
            closeQuietly(checkpointer);
            closeQuietly(insert);
            closeQuietly(insertMany);
            closeQuietly(transactions);
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
            dirLock.close();
        }
    }

    private static HubStartException startFailure(Path file, SQLException e) {
        Path dir = file.getParent();
        String cause = SqliteErrors.describe(e);
        if (SqliteErrors.isCorrupt(e)) {
            return new HubStartException("the history file " + file + " is damaged: " + cause + ". Herald will not"
                    + " start on it rather than serve an empty history: move " + file.getFileName() + " (and its -wal and"
                    + " -shm files) out of " + dir + " to start afresh, or restore them from a backup", e);
        }
        if (SqliteErrors.isReadOnly(e)) {
            return new HubStartException("the history file " + file + " is not writable: " + cause + ". Make it, its"
                    + " -wal and -shm files and " + dir + " writable by the hub's user, or choose another --data-dir", e);
        }
        if (SqliteErrors.isFull(e)) {
            return new HubStartException("cannot open the history file " + file + ": " + cause + ". Free space on"
                    + " the disk holding " + dir + ", or choose another --data-dir", e);
        }
        return new HubStartException("cannot open the history file " + file + ": " + cause + ". Check that " + dir
                + " exists and is writable by the hub's user, or choose another --data-dir", e);
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file;
    }

    private static int intQuery(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static String stringQuery(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the first error is the one reported
        }
    }

    @Override
    public String toString() {
        return "SqliteHistoryStore{" + file + ", " + durability + "}";
    }
}
