package dev.herald.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.Hub;
import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.redis.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transport's pieces against a real Redis: sequencing, the id map, replay reads, retention, recovery. */
class RedisTransportTest {

    static final HubConfig KEEP_ALL = retention(1_000_000, Duration.ofDays(7), 1L << 40);
    static RedisServer redis;
    static int prefixes;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** A transport on a prefix of its own, so the tests share the server without seeing each other's keys. */
    /** A hub configuration with these retention bounds (all the transport reads from it). */
    static HubConfig retention(long maxEvents, Duration maxAge, long maxBytes) {
        return Hub.builder().historyMaxEvents(maxEvents).historyMaxAge(maxAge).historyMaxBytes(maxBytes).config();
    }

    static RedisTransport transport(HubConfig retention) {
        return new RedisTransport(RedisSettings.parse(redis.uri("prefix=t" + (++prefixes))), retention);
    }

    static long append(RedisTransport t, String id, String... topics) {
        return t.append(id, List.of(topics), false, System.currentTimeMillis(),
                ("id: " + id + "\ndata: x\n\n").getBytes(StandardCharsets.UTF_8), null).join();
    }

    @Test
    void appendsTakeGaplessSequencesSharedByEveryTransportOnThePrefix() {
        try (RedisTransport a = transport(KEEP_ALL); RedisTransport b = new RedisTransport(
                RedisSettings.parse(redis.uri("prefix=t" + prefixes)), KEEP_ALL)) {
            assertThat(a.connect()).isZero();
            b.connect();
            assertThat(append(a, "a1", "https://t/1")).isEqualTo(1);
            assertThat(append(b, "b1", "https://t/1")).isEqualTo(2);
            assertThat(append(a, "a2", "https://t/1")).isEqualTo(3);
            assertThat(b.history().lastSequence()).isEqualTo(3);
        }
    }

    @Test
    void theFeedDeliversEveryEntryAfterItsStartInOrderIncludingItsOwn() throws Exception {
        try (RedisTransport t = transport(KEEP_ALL)) {
            t.connect();
            append(t, "before");
            BlockingQueue<HistoryEntry> fed = new LinkedBlockingQueue<>();
            t.startFeed(1, fed::add);
            append(t, "x1", "https://t/a", "https://t/b\nwith a line break");
            t.append("x2", List.of("https://t/p"), true, 42, "frame".getBytes(StandardCharsets.UTF_8), "AAPL").join();
            HistoryEntry first = fed.poll(5, TimeUnit.SECONDS);
            HistoryEntry second = fed.poll(5, TimeUnit.SECONDS);
            assertThat(first.sequence()).isEqualTo(2);
            assertThat(first.id()).isEqualTo("x1");
            assertThat(first.topics()).containsExactly("https://t/a", "https://t/b\nwith a line break");
            assertThat(second.sequence()).isEqualTo(3);
            assertThat(second.isPrivate()).isTrue();
            assertThat(second.timestampMillis()).isEqualTo(42);
            assertThat(new String(second.frame(), StandardCharsets.UTF_8)).isEqualTo("frame");
            assertThat(first.conflationKey()).isNull();
            assertThat(second.conflationKey()).isEqualTo("AAPL");
            // the cursor moves once the hub took the entry, just after it was queued here
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> t.status().lastSequence() == 3);
            assertThat(t.status().connected()).isTrue();
        }
    }

    @Test
    void theHistoryFindsTheEarliestSequenceOfAnIdAndReadsRanges() {
        try (RedisTransport t = transport(KEEP_ALL)) {
            t.connect();
            for (int i = 1; i <= 10; i++) {
                append(t, i == 7 ? "dup" : "e" + i);
            }
            append(t, "dup");
            assertThat(t.history().findSequence("e3")).isEqualTo(3);
            assertThat(t.history().findSequence("dup")).isEqualTo(7);
            assertThat(t.history().findSequence("never")).isEqualTo(-1);
            assertThat(t.history().read(3, 8, 3)).extracting(HistoryEntry::sequence).containsExactly(4L, 5L, 6L);
            assertThat(t.history().read(8, 8, 10)).isEmpty();
            assertThat(t.history().oldestSequence()).isEqualTo(1);
            assertThat(t.history().lastSequence()).isEqualTo(11);
        }
    }

    @Test
    void retentionByCountDropsTheOldestAndForgetsTheirIds() {
        try (RedisTransport t = transport(retention(3, Duration.ofDays(1), 1L << 40))) {
            t.connect();
            for (int i = 1; i <= 5; i++) {
                append(t, "e" + i);
            }
            assertThat(t.trimNow()).isEqualTo(2);
            assertThat(t.history().oldestSequence()).isEqualTo(3);
            assertThat(t.history().findSequence("e2")).isEqualTo(-1);
            assertThat(t.history().findSequence("e3")).isEqualTo(3);
            assertThat(append(t, "e6")).as("sequences go on after a trim").isEqualTo(6);
        }
    }

    @Test
    void aReusedIdResolvesToItsNextOccurrenceOnceRetentionDroppedTheEarliest() throws Exception {
        try (RedisTransport t = transport(retention(3, Duration.ofDays(1), 1L << 40))) {
            t.connect();
            for (String id : List.of("same", "a", "same", "b", "same", "c")) {
                append(t, id);
            }
            assertThat(t.history().findSequence("same")).as("the earliest kept").isEqualTo(1);
            assertThat(t.trimNow()).isEqualTo(3); // 1 to 3: "same" twice
            assertThat(t.history().findSequence("same")).as("its next kept occurrence").isEqualTo(5);
            assertThat(t.history().findSequence("a")).isEqualTo(-1);
            append(t, "same"); // 7, reused again once its chain was down to one occurrence
            append(t, "d");
            assertThat(t.trimNow()).isEqualTo(2); // 4 and 5
            assertThat(t.history().findSequence("same")).isEqualTo(7);
            for (int i = 0; i < 3; i++) {
                append(t, "e" + i);
            }
            t.trimNow();
            assertThat(t.history().findSequence("same")).isEqualTo(-1);
            assertThat(redis.command("EXISTS t" + prefixes + ":idnext t" + prefixes + ":idlast"))
                    .as("nothing left of the chains").isEqualTo(":0");
        }
    }

    @Test
    void chainsLeftByAnIdMappingLostOutsideTheScriptsDoNotOutliveTheirEntries() throws Exception {
        try (RedisTransport t = transport(retention(2, Duration.ofDays(1), 1L << 40))) {
            t.connect();
            append(t, "same"); // 1
            append(t, "same"); // 2: chained after 1
            redis.command("HDEL t" + prefixes + ":ids same"); // lost by other means (an older node, an operator)
            append(t, "same"); // 3: a new chain, not one after the stale latest 2
            assertThat(t.history().findSequence("same")).isEqualTo(3);
            append(t, "x");
            append(t, "y");
            t.trimNow(); // drops 1 to 3
            assertThat(t.history().findSequence("same")).isEqualTo(-1);
            assertThat(redis.command("EXISTS t" + prefixes + ":idnext t" + prefixes + ":idlast"))
                    .as("no link outlives its entry").isEqualTo(":0");
        }
    }

    @Test
    void aReusedIdResolvesAsOnASingleHubWhateverRetentionDropped() {
        MemoryHistoryStore single = new MemoryHistoryStore(5);
        Random random = new Random(7);
        try (RedisTransport t = transport(retention(5, Duration.ofDays(1), 1L << 40))) {
            t.connect();
            for (int n = 1; n <= 120; n++) {
                String id = "id" + random.nextInt(4);
                long seq = append(t, id);
                single.append(HistoryEntry.of(seq, id, List.of(), false, 0, new byte[0]));
                t.trimNow();
                for (int i = 0; i < 4; i++) {
                    assertThat(t.history().findSequence("id" + i)).as("id%s after %s updates", i, n)
                            .isEqualTo(single.findSequence("id" + i));
                }
            }
        }
    }

    @Test
    void retentionByBytesAndByAge() {
        byte[] frame = new byte[100];
        try (RedisTransport bytes = transport(retention(100, Duration.ofDays(1), 350))) {
            bytes.connect();
            for (int i = 0; i < 5; i++) {
                bytes.append("b" + i, List.of(), false, System.currentTimeMillis(), frame, null).join(); // 104 bytes each
            }
            bytes.trimNow();
            assertThat(bytes.history().read(0, 10, 10)).extracting(HistoryEntry::id).containsExactly("b2", "b3", "b4");
        }
        try (RedisTransport age = transport(retention(100, Duration.ofMinutes(1), 1L << 40))) {
            age.connect();
            age.append("old", List.of(), false, System.currentTimeMillis() - 120_000, frame, null).join();
            age.append("new", List.of(), false, System.currentTimeMillis(), frame, null).join();
            age.trimNow();
            assertThat(age.history().read(0, 10, 10)).extracting(HistoryEntry::id).containsExactly("new");
        }
    }

    @Test
    void aRedisThatLostItsDataDoesNotHandOutSequencesAlreadyDelivered() throws Exception {
        try (RedisTransport t = transport(KEEP_ALL)) {
            t.connect();
            BlockingQueue<HistoryEntry> fed = new LinkedBlockingQueue<>();
            t.startFeed(0, fed::add);
            for (int i = 1; i <= 3; i++) {
                append(t, "e" + i);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(fed.poll(5, TimeUnit.SECONDS)).isNotNull();
            }
            redis.command("FLUSHALL"); // a restart without persistence, as far as the keys go
            redis.command("SCRIPT FLUSH"); // and its script cache
            assertThat(append(t, "after")).as("continues after what this hub delivered").isEqualTo(4);
            assertThat(fed.poll(5, TimeUnit.SECONDS).id()).isEqualTo("after");
        }
    }

    @Test
    void aCounterLostOnItsOwnGoesOnAfterTheStreamAndARefusedAppendLeavesNoHole() throws Exception {
        try (RedisTransport t = transport(KEEP_ALL)) {
            t.connect();
            append(t, "e1");
            append(t, "e2");
            redis.command("DEL t" + prefixes + ":seq"); // an eviction, a stray DEL
            assertThat(append(t, "e3")).as("after the stream's last id").isEqualTo(3);
            redis.command("SET t" + prefixes + ":stream not-a-stream"); // XADD fails: WRONGTYPE
            assertThatThrownBy(() -> append(t, "refused")).hasRootCauseInstanceOf(io.lettuce.core.RedisException.class)
                    .hasMessageContaining("redis unavailable");
            redis.command("DEL t" + prefixes + ":stream");
            assertThat(append(t, "e4")).as("the refused publish took no sequence").isEqualTo(4);
        }
    }

    @Test
    void anAclUserWithTheDocumentedRulesCanDoEverythingTheTransportDoes() throws Exception {
        // the rule docs/clustering.md gives
        assertThat(redis.command("ACL SETUSER hub on >pw ~acl:* " + "+@stream +@hash +@string +@scripting +@connection"))
                .isEqualTo("+OK");
        try (RedisTransport t = new RedisTransport(RedisSettings.parse(
                URI.create("redis://hub:pw@127.0.0.1:" + redis.port() + "?prefix=acl")),
                retention(1, Duration.ofDays(1), 1L << 40))) {
            t.connect();
            BlockingQueue<HistoryEntry> fed = new LinkedBlockingQueue<>();
            t.startFeed(0, fed::add);
            append(t, "a1");
            append(t, "a2");
            assertThat(fed.poll(5, TimeUnit.SECONDS).id()).isEqualTo("a1");
            assertThat(t.history().findSequence("a2")).isEqualTo(2);
            assertThat(t.trimNow()).isEqualTo(1);
            assertThat(t.history().read(0, 2, 10)).extracting(HistoryEntry::id).containsExactly("a2");
            t.issue("id", new byte[] {1}, Duration.ofSeconds(5)).join(); // stream tickets: SET, GETDEL
            assertThat(t.redeem("id").join()).containsExactly(1);
        }
    }

    @Test
    void theTicketStoreGivesARecordBackOnceWithinItsLifetimeAndNeverReplacesOne() throws Exception {
        try (RedisTransport t = transport(KEEP_ALL)) {
            t.connect();
            byte[] record = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
            t.issue("digest-1", record, Duration.ofSeconds(30)).join();
            assertThat(redis.command("GET t" + prefixes + ":ticket:digest-1")).isEqualTo("$7");
            assertThat(t.redeem("digest-1").join()).isEqualTo(record);
            assertThat(t.redeem("digest-1").join()).as("spent").isNull();
            assertThat(t.redeem("unknown").join()).isNull();

            t.issue("digest-2", record, Duration.ofSeconds(30)).join();
            assertThatThrownBy(() -> t.issue("digest-2", new byte[] {2}, Duration.ofSeconds(30)).join())
                    .hasCauseInstanceOf(HistoryUnavailableException.class);
            assertThat(t.redeem("digest-2").join()).as("the first record, untouched").isEqualTo(record);

            t.issue("digest-3", record, Duration.ofMillis(100)).join();
            Thread.sleep(250);
            assertThat(t.redeem("digest-3").join()).as("expired").isNull();

            t.close();
            assertThatThrownBy(() -> t.redeem("digest-1").join()).hasCauseInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> t.issue("digest-4", record, Duration.ofSeconds(1)).join())
                    .hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void anUnreachableRedisIsAStartErrorNamingItWithoutItsPassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RedisTransport t = new RedisTransport(RedisSettings.parse(URI.create("redis://:secret@127.0.0.1:" + closedPort)),
                KEEP_ALL);
        assertThatThrownBy(t::connect).isInstanceOf(HubStartException.class)
                .hasMessageStartingWith("cannot reach Redis at redis://***@127.0.0.1:" + closedPort + " (prefix herald): ")
                .hasMessageNotContaining("secret");
    }
}
