package dev.herald.hub.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.Durability;
import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.HubStartException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite history on its own: storage, look-ups, restart, retention, failures. */
class SqliteHistoryStoreTest {

    static final Retention KEEP_ALL = new Retention(1_000_000, Duration.ofDays(365), Long.MAX_VALUE);

    @TempDir
    Path dir;
    final List<SqliteHistoryStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(SqliteHistoryStore::close);
    }

    SqliteHistoryStore open(Retention retention) {
        SqliteHistoryStore s = SqliteHistoryStore.open(dir, Durability.BATCH, retention);
        open.add(s);
        return s;
    }

    static HistoryEntry entry(long seq, String id) {
        return entry(seq, id, System.currentTimeMillis(), 10);
    }

    static HistoryEntry entry(long seq, String id, long timestamp, int dataBytes) {
        byte[] frame = ("id: " + id + "\ndata: " + "x".repeat(dataBytes) + "\n\n").getBytes(StandardCharsets.UTF_8);
        return HistoryEntry.of(seq, id, List.of("https://example.com/" + (seq % 3), "t\u00e9"), seq % 2 == 0, timestamp,
                frame, seq % 3 == 0 ? null : "key-" + (seq % 4));
    }

    static List<HistoryEntry> entries(long from, long to) {
        List<HistoryEntry> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(entry(s, "id-" + s));
        }
        return out;
    }

    @Test
    void appendedEntriesReadBackInOrderWithEveryField() {
        SqliteHistoryStore store = open(KEEP_ALL);
        List<HistoryEntry> written = entries(1, 10);
        store.appendAll(written.subList(0, 4));
        store.append(written.get(4));
        store.appendAll(written.subList(5, 10));

        List<HistoryEntry> read = store.read(2, 7, 100);
        assertThat(read).extracting(HistoryEntry::sequence).containsExactly(3L, 4L, 5L, 6L, 7L);
        for (HistoryEntry e : read) {
            HistoryEntry w = written.get((int) e.sequence() - 1);
            assertThat(e.id()).isEqualTo(w.id());
            assertThat(e.topics()).isEqualTo(w.topics());
            assertThat(e.isPrivate()).isEqualTo(w.isPrivate());
            assertThat(e.timestampMillis()).isEqualTo(w.timestampMillis());
            assertThat(e.frame()).isEqualTo(w.frame());
            assertThat(e.conflationKey()).isEqualTo(w.conflationKey());
        }
        assertThat(store.read(0, 10, 3)).extracting(HistoryEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(store.read(10, 20, 5)).isEmpty();
        assertThat(store.oldestSequence()).isEqualTo(1);
        assertThat(store.lastSequence()).isEqualTo(10);
        assertThat(store.findSequence("id-6")).isEqualTo(6);
        assertThat(store.findSequence("never")).isEqualTo(-1);
    }

    @Test
    void aReusedIdResolvesToItsEarliestKeptEntry() {
        SqliteHistoryStore store = open(KEEP_ALL);
        store.appendAll(List.of(entry(1, "a"), entry(2, "same"), entry(3, "b"), entry(4, "same")));
        assertThat(store.findSequence("same")).isEqualTo(2);
    }

    @Test
    void aReusedIdResolvesToItsNextOccurrenceOnceRetentionDroppedTheEarliest() {
        SqliteHistoryStore store = open(new Retention(3, Duration.ofDays(1), Long.MAX_VALUE));
        store.appendAll(List.of(entry(1, "same"), entry(2, "a"), entry(3, "b"), entry(4, "same"), entry(5, "c")));
        store.applyRetention();
        assertThat(store.oldestSequence()).isEqualTo(3);
        assertThat(store.findSequence("same")).isEqualTo(4);
        assertThat(store.findSequence("a")).isEqualTo(-1);
    }

    @Test
    void idsAreFoundAgainAfterARestart() {
        SqliteHistoryStore first = open(KEEP_ALL);
        first.appendAll(List.of(entry(1, "x"), entry(2, "y"), entry(3, "x")));
        first.close();
        open.remove(first);
        SqliteHistoryStore again = open(KEEP_ALL);
        assertThat(again.findSequence("x")).isEqualTo(1);
        assertThat(again.findSequence("y")).isEqualTo(2);
        assertThat(again.findSequence("z")).isEqualTo(-1);
    }

    @Test
    void appendsOutOfSequenceAreRefused() {
        SqliteHistoryStore store = open(KEEP_ALL);
        store.append(entry(1, "a"));
        assertThatThrownBy(() -> store.append(entry(3, "c"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: 2");
    }

    @Test
    void reopeningKeepsEverythingAndSequencesContinue() {
        SqliteHistoryStore first = open(KEEP_ALL);
        first.appendAll(entries(1, 500));
        first.close();
        open.remove(first);

        SqliteHistoryStore again = open(KEEP_ALL);
        assertThat(again.lastSequence()).isEqualTo(500);
        assertThat(again.oldestSequence()).isEqualTo(1);
        assertThat(again.findSequence("id-250")).isEqualTo(250);
        again.append(entry(501, "id-501"));
        assertThat(again.read(499, 501, 10)).extracting(HistoryEntry::id).containsExactly("id-500", "id-501");
    }

    @Test
    void retentionKeepsAtMostMaxEventsDroppingTheOldest() {
        SqliteHistoryStore store = open(new Retention(100, Duration.ofDays(1), Long.MAX_VALUE));
        store.appendAll(entries(1, 5_000));
        store.applyRetention(); // the maintenance thread, woken by the append, may have done part of it
        assertThat(store.oldestSequence()).isEqualTo(4_901);
        assertThat(store.read(0, 5_000, 1_000)).hasSize(100).first().extracting(HistoryEntry::sequence).isEqualTo(4_901L);
        assertThat(store.findSequence("id-4900")).isEqualTo(-1);
        assertThat(store.findSequence("id-4901")).isEqualTo(4_901);
        assertThat(store.applyRetention()).isZero();
    }

    @Test
    void retentionDropsEntriesOlderThanMaxAge() {
        SqliteHistoryStore store = open(new Retention(1_000, Duration.ofMinutes(1), Long.MAX_VALUE));
        long now = System.currentTimeMillis();
        List<HistoryEntry> batch = new ArrayList<>();
        for (long s = 1; s <= 10; s++) {
            batch.add(entry(s, "id-" + s, s <= 6 ? now - 120_000 : now, 10));
        }
        store.appendAll(batch);
        assertThat(store.applyRetention()).isEqualTo(6);
        assertThat(store.oldestSequence()).isEqualTo(7);
    }

    @Test
    void retentionKeepsStoredBytesWithinMaxBytes() {
        long entrySize = StoredBytes.of(entry(1, "id-0001", 0, 100));
        SqliteHistoryStore store = open(new Retention(1_000, Duration.ofDays(1), entrySize * 10));
        List<HistoryEntry> batch = new ArrayList<>();
        for (long s = 1; s <= 25; s++) {
            batch.add(entry(s, String.format("id-%04d", s), System.currentTimeMillis(), 100));
        }
        store.appendAll(batch);
        assertThat(store.storedBytes()).isEqualTo(entrySize * 25);
        store.applyRetention();
        assertThat(store.oldestSequence()).isEqualTo(16);
        assertThat(store.storedBytes()).isEqualTo(entrySize * 10);
    }

    @Test
    void sequencesContinueAfterRetentionDroppedEveryEntryAndARestart() {
        SqliteHistoryStore store = open(new Retention(1_000, Duration.ofMinutes(1), Long.MAX_VALUE));
        store.appendAll(List.of(entry(1, "a", 0, 10), entry(2, "b", 0, 10)));
        assertThat(store.applyRetention()).isEqualTo(2);
        assertThat(store.oldestSequence()).isEqualTo(-1);
        store.close();
        open.remove(store);

        SqliteHistoryStore again = open(new Retention(1_000, Duration.ofMinutes(1), Long.MAX_VALUE));
        assertThat(again.lastSequence()).isEqualTo(2);
        assertThat(again.oldestSequence()).isEqualTo(-1);
        again.append(entry(3, "c"));
        assertThat(again.oldestSequence()).isEqualTo(3);
    }

    @Test
    void aFullDatabaseRefusesAppendsAsUnavailableStoresNothingAndRecoversWhenSpaceReturns() {
        SqliteHistoryStore store = open(KEEP_ALL);
        store.appendAll(entries(1, 10));
        store.capPages(store.pageCount());
        List<HistoryEntry> big = new ArrayList<>();
        for (long s = 11; s <= 60; s++) {
            big.add(entry(s, "big-" + s, System.currentTimeMillis(), 4_000));
        }
        assertThatThrownBy(() -> store.appendAll(big))
                .isInstanceOf(HistoryUnavailableException.class)
                .hasMessageContaining("disk full")
                .satisfies(e -> assertThat(((HistoryUnavailableException) e).retryAfter())
                        .isEqualTo(SqliteErrors.RETRY_AFTER_FULL));
        assertThat(store.lastSequence()).isEqualTo(10);
        assertThat(store.read(10, 60, 100)).isEmpty();
        assertThat(store.findSequence("big-11")).isEqualTo(-1);

        store.capPages(1_000_000); // space returns
        store.appendAll(big);
        assertThat(store.lastSequence()).isEqualTo(60);
        assertThat(store.read(10, 60, 100)).hasSize(50);
    }

    @Test
    void aWriteProbeFailsWhileTheDatabaseIsFullSucceedsOnceSpaceReturnsAndLeavesTheUpdatesAlone() {
        SqliteHistoryStore store = open(KEEP_ALL);
        store.appendAll(entries(1, 10));
        store.capPages(store.pageCount());
        assertThatThrownBy(() -> store.probeWrite(64 * 1024))
                .isInstanceOf(HistoryUnavailableException.class)
                .hasMessageContaining("disk full")
                .satisfies(full -> assertThat(store.probes(full)).as("a probe tells a full disk").isTrue());

        store.capPages(1_000_000); // space returns
        store.probeWrite(64 * 1024);
        assertThat(store.lastSequence()).isEqualTo(10);
        assertThat(store.read(0, 100, 100)).extracting(HistoryEntry::sequence).hasSize(10).endsWith(10L);
        store.append(entry(11, "id-11"));
        assertThat(store.lastSequence()).isEqualTo(11);
    }

    @Test
    void onlyAFullDiskIsACauseAProbeCanRuleOut() {
        SqliteHistoryStore store = open(KEEP_ALL);
        java.sql.SQLException corrupt = new java.sql.SQLException("database disk image is malformed", null, 11);
        java.sql.SQLException full = new java.sql.SQLException("database or disk is full", null, 13);

        assertThat(store.probes(new HistoryUnavailableException("x", java.time.Duration.ofSeconds(5), full))).isTrue();
        assertThat(store.probes(new HistoryUnavailableException("x", java.time.Duration.ofSeconds(1), corrupt))).isFalse();
        assertThat(store.probes(new IllegalStateException("no SQLite error at all"))).isFalse();
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() {
        open(KEEP_ALL);
        assertThatThrownBy(() -> SqliteHistoryStore.open(dir, Durability.BATCH, KEEP_ALL))
                .isInstanceOf(HubStartException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("in use by another Herald hub");
    }

    @Test
    void aFileThatIsNotADatabaseFailsToOpenNamingThePathAndTheRemedy() throws Exception {
        Path file = dir.resolve(SqliteHistoryStore.FILE_NAME);
        byte[] garbage = new byte[8192];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(file, garbage);
        assertThatThrownBy(() -> SqliteHistoryStore.open(dir, Durability.BATCH, KEEP_ALL))
                .isInstanceOf(HubStartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("damaged")
                .hasMessageContaining("move history.db");
        // the lock was released: after the operator moves the file away, the hub starts
        Files.delete(file);
        open(KEEP_ALL);
    }

    @Test
    void aDamagedPageFailsTheStartUpCheckAndTheFileIsLeftAsItWas() throws Exception {
        SqliteHistoryStore store = open(KEEP_ALL);
        store.appendAll(entries(1, 2_000));
        store.close();
        open.remove(store);
        Path file = dir.resolve(SqliteHistoryStore.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(40_000);
        // overwrite a stretch of the updates' pages with garbage, mid-file: the start-up writes (to
        // meta, whose pages come first) would succeed, so only the check can refuse the file
        int at = bytes.length / 2 / 4096 * 4096;
        java.util.Arrays.fill(bytes, at, at + 3 * 4096, (byte) 0x5A);
        Files.write(file, bytes);
        assertThatThrownBy(() -> SqliteHistoryStore.open(dir, Durability.BATCH, KEEP_ALL))
                .isInstanceOf(HubStartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("damaged");
        // checked before any write: a write would reach the file when SQLite folds the WAL in on close
        assertThat(java.util.Arrays.mismatch(Files.readAllBytes(file), bytes))
                .as("the damaged file, untouched (first byte changed)").isEqualTo(-1);
        Path wal = dir.resolve(SqliteHistoryStore.FILE_NAME + "-wal");
        assertThat(Files.exists(wal) ? Files.size(wal) : 0L).as("nothing written to the WAL either").isZero();
    }

    @Test
    void anotherProgramsDatabaseIsNotTakenForAHistory() throws Exception {
        Path file = dir.resolve(SqliteHistoryStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY)");
        }
        assertThatThrownBy(() -> SqliteHistoryStore.open(dir, Durability.BATCH, KEEP_ALL))
                .isInstanceOf(HubStartException.class)
                .hasMessageContaining("not a Herald history");
    }

    @Test
    void fsyncDurabilityStoresAndReadsTheSame() {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir, Durability.FSYNC, KEEP_ALL);
        open.add(store);
        store.appendAll(entries(1, 20));
        assertThat(store.read(0, 20, 100)).hasSize(20);
        assertThat(store.durability()).isEqualTo(Durability.FSYNC);
    }

    @Test
    void aVersion1HistoryIsUpgradedInPlaceAndKeepsItsUpdates() throws Exception {
        Path file = dir.resolve(SqliteHistoryStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            // the schema Herald wrote before conflation keys
            s.execute("PRAGMA application_id=" + SqliteHistoryStore.APPLICATION_ID);
            s.execute("PRAGMA user_version=1");
            s.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            s.execute("CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, topics BLOB NOT NULL,"
                    + " private INTEGER NOT NULL, ts INTEGER NOT NULL, frame BLOB NOT NULL)");
        }
        SqliteHistoryStore store = open(KEEP_ALL);
        HistoryEntry old = HistoryEntry.of(1, "old", List.of("https://example.com/a"), false, 1, new byte[] {'x'});
        store.append(old);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(SqliteHistoryStore.SCHEMA_VERSION);
            }
        }

        SqliteHistoryStore reopened = open(KEEP_ALL);
        reopened.append(HistoryEntry.of(2, "new", List.of("https://example.com/a"), false, 2, new byte[] {'y'}, "k"));

        assertThat(reopened.read(0, 2, 10)).extracting(HistoryEntry::id, HistoryEntry::conflationKey)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("old", null),
                        org.assertj.core.groups.Tuple.tuple("new", "k"));
    }
}
