package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.SlowSseClient;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conflation and rate limits end to end: publishers give updates a {@code herald-conflation-key},
 * dashboards subscribe with {@code herald-conflate=1} or {@code herald-max-rate=R}, and a slow or
 * capped dashboard gets the newest value of every key, in increasing id order, while everyone else
 * gets every update.
 */
class ConflationHubTest {

    private static final String TOPIC = "https://example.com/quotes";
    private static final String PAYLOAD = "x".repeat(16 * 1024); // a few hundred of these congest any socket
    private static final int KEYS = 10;

    private static Hub.Builder slowLimits() {
        // strict limits: a plain subscriber that stops reading would be dropped within half a second
        return TestHubs.builder().maxStallTime(Duration.ofMillis(500)).maxBacklogBytes(256 * 1024)
                .maxDataBytes(64 * 1024);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** What the publisher sent: the newest value per key and every update without a key, in order. */
    private static final class Published {
        final Map<String, Integer> newest = new LinkedHashMap<>();
        final List<String> unkeyed = new ArrayList<>();
    }

    /**
     * {@code n} updates with ids {@code e-0...}: every tenth without a key ({@code news:i}), every
     * 25th (from the 7th) private with key {@code k7}, the others public with key {@code k(i % KEYS)}
     * and data {@code k:i:payload}; each public one is read by {@code healthy} before the next goes.
     */
    private static Published publish(Hub hub, int n, SseStream healthy) throws InterruptedException {
        Published p = new Published();
        for (int i = 0; i < n; i++) {
            Update.Builder b = Update.builder(TOPIC).id("e-" + i);
            String expected;
            if (i % 10 == 0) {
                expected = "news:" + i;
                b.data(expected);
                p.unkeyed.add(expected);
            } else if (i % 25 == 7) {
                b.conflationKey("k7").data("secret:" + i).privateUpdate(true);
                expected = null;
            } else {
                String key = "k" + (i % KEYS);
                b.conflationKey(key).data(key + ":" + i + ":" + PAYLOAD);
                p.newest.put(key, i);
                expected = key + ":" + i;
            }
            hub.publish(b.build());
            if (healthy != null && expected != null) {
                assertThat(healthy.next(Duration.ofSeconds(10)).data()).startsWith(expected);
            }
        }
        return p;
    }

    private static int sequence(SseEvent e) {
        return Integer.parseInt(e.id().substring(2));
    }

    /** Checks a conflated stream against what was published; returns the newest value seen per key. */
    private static Map<String, Integer> checkConflated(List<SseEvent> events) {
        List<Integer> ids = events.stream().map(ConflationHubTest::sequence).toList();
        assertThat(ids).as("event ids keep increasing").isSorted().doesNotHaveDuplicates();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (SseEvent e : events) {
            assertThat(e.data()).as("no private update for an anonymous subscriber").doesNotStartWith("secret");
            if (!e.data().startsWith("news:")) {
                String[] parts = e.data().split(":", 3);
                Integer before = seen.put(parts[0], Integer.parseInt(parts[1]));
                assertThat(before == null || before < Integer.parseInt(parts[1]))
                        .as("never an older value after a newer one for %s", parts[0]).isTrue();
            }
        }
        return seen;
    }

    @Test
    void slowDashboardGetsTheNewestValueOfEveryKeyAndStaysConnectedWhileOthersGetEverything() throws Exception {
        try (Hub hub = slowLimits().build().start();
             SlowSseClient dashboard = SlowSseClient.open(hub, "match=" + q(TOPIC) + "&herald-conflate=1")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
            try (SseStream healthy = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 2);

                Published published = publish(hub, 600, healthy); // ~9 MB: the dashboard is congested
                Thread.sleep(1000); // twice the stall time a plain subscriber gets
                assertThat(hub.subscriberCount()).as("the congested dashboard is still connected").isEqualTo(2);
                hub.publish(Update.builder(TOPIC).id("e-9999").data("news:end").build());

                List<SseEvent> events = dashboard.readUntil(e -> e.id().equals("e-9999"), Duration.ofSeconds(30));

                assertThat(events.size()).as("conflated: fewer events than published").isLessThan(600);
                assertThat(checkConflated(events)).as("the newest value of every key")
                        .isEqualTo(published.newest);
                List<String> news = events.stream().map(SseEvent::data).filter(d -> d.startsWith("news:")).toList();
                published.unkeyed.add("news:end");
                assertThat(news).as("every update without a key, in order").isEqualTo(published.unkeyed);
                assertThat(healthy.next(Duration.ofSeconds(5)).data()).isEqualTo("news:end");
            }
        }
    }

    @Test
    void reconnectingFromAnyIdOfAConflatedStreamMissesNoKeysNewestValue() throws Exception {
        try (Hub hub = slowLimits().build().start()) {
            List<SseEvent> firstConnection;
            Published published;
            try (SlowSseClient dashboard = SlowSseClient.open(hub, "match=" + q(TOPIC) + "&herald-conflate=1")) {
                await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
                published = publish(hub, 400, null);
                hub.publish(Update.builder(TOPIC).id("e-9999").data("news:end").build());
                firstConnection = dashboard.readUntil(e -> e.id().equals("e-9999"), Duration.ofSeconds(30));
            }
            assertThat(firstConnection.size()).isLessThan(400);
            // the connection might have dropped after any event: resume from one in the middle
            int cut = firstConnection.size() / 2;
            String lastEventId = firstConnection.get(cut - 1).id();
            try (SlowSseClient resumed = SlowSseClient.open(hub,
                    "match=" + q(TOPIC) + "&herald-conflate=1", "Last-Event-ID: " + lastEventId)) {
                List<SseEvent> replay = resumed.readUntil(e -> e.id().equals("e-9999"), Duration.ofSeconds(30));

                List<SseEvent> seen = new ArrayList<>(firstConnection.subList(0, cut));
                seen.addAll(replay);
                assertThat(checkConflated(seen)).as("what it had plus the replay: the newest value of every key")
                        .isEqualTo(published.newest);
                assertThat(sequence(replay.get(0))).as("the replay starts right after the id")
                        .isEqualTo(sequence(firstConnection.get(cut - 1)) + 1);
            }
        }
    }

    @Test
    void rateCapHoldsAndTheCappedStreamEndsWithTheNewestValues() throws Exception {
        double rate = 20;
        try (Hub hub = TestHubs.start();
             SseStream capped = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&herald-max-rate=20"));
             SseStream plain = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 2);
            long start = System.nanoTime();
            Map<String, Integer> newest = new LinkedHashMap<>();
            int n = 600;
            for (int i = 0; i < n; i++) { // about 400 a second on 3 keys, for about 1.5 s
                String key = "k" + (i % 3);
                hub.publish(Update.builder(TOPIC).id("e-" + i).conflationKey(key).data(key + ":" + i + ":").build());
                newest.put(key, i);
                LockSupport.parkNanos(2_500_000);
            }
            double publishSeconds = (System.nanoTime() - start) / 1e9;
            hub.publish(Update.builder(TOPIC).id("e-9999").data("news:end").build());

            List<SseEvent> events = new ArrayList<>();
            SseEvent e;
            do {
                e = capped.next(Duration.ofSeconds(5));
                events.add(e);
            } while (!e.id().equals("e-9999"));
            double seconds = (System.nanoTime() - start) / 1e9;

            List<SseEvent> keyed = events.subList(0, events.size() - 1);
            // a token bucket of one token at 20/s, plus at most one round (3 keys) admitted in debt
            assertThat(keyed.size()).as("at most the rate over %.2f s", seconds)
                    .isLessThanOrEqualTo((int) (rate * seconds) + 1 + 3);
            assertThat(keyed.size()).as("and not starved").isGreaterThanOrEqualTo((int) (rate * publishSeconds / 2));
            assertThat(checkConflated(keyed)).as("the newest value of every key before the end").isEqualTo(newest);
            assertThat(plain.next(n + 1, Duration.ofSeconds(10))).as("the plain subscriber gets every update")
                    .extracting(SseEvent::id).last().isEqualTo("e-9999");
        }
    }

    @Test
    void rateCapOnFiftyKeysHoldsItsDocumentedBoundThoughARoundCarriesThemAll() throws Exception {
        int keys = 50;
        double rate = 1;
        try (Hub hub = TestHubs.start();
             SseStream capped = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&herald-max-rate=1"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
            long start = System.nanoTime();
            int n = 0;
            for (int tick = 0; tick < 16; tick++) { // every key ticks every 200 ms for 3 s
                for (int k = 0; k < keys; k++, n++) {
                    hub.publish(Update.builder(TOPIC).id("e-" + n).conflationKey("k" + k).data("k" + k + ":" + n + ":")
                            .build());
                }
                Thread.sleep(200);
            }
            List<SseEvent> events = new ArrayList<>();
            SseEvent e;
            while ((e = capped.poll(Duration.ofMillis(1500))) != null) {
                events.add(e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            // the documented bound: max(1, rate / 20) + rate × T updates with a key, plus one round (the keys held)
            assertThat(events.size()).as("in %.2f s", seconds).isLessThanOrEqualTo((int) (1 + rate * seconds) + keys);
            // what that means here: the first update at once, a second later a round of all 50 keys, whose
            // debt of 49 tokens silences the stream for the next 49 s
            assertThat(events).hasSize(1 + keys);
            assertThat(checkConflated(events.subList(1, events.size()))).as("one value of every key").hasSize(keys);
        }
    }

    @ParameterizedTest(name = "{0} keys, at most {1} held: kept {2}")
    @CsvSource({"8, 8, true", "40, 8, false"})
    void keysBeyondTheLimitAreNotConflatedSoTheBacklogLimitStillApplies(int keys, int maxKeys, boolean kept)
            throws Exception {
        try (Hub hub = slowLimits().maxConflationKeys(maxKeys).build().start();
             SlowSseClient dashboard = SlowSseClient.open(hub, "match=" + q(TOPIC) + "&herald-conflate=1")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
            for (int i = 0; i < 300; i++) { // ~5 MB
                String key = "k" + (i % keys);
                hub.publish(Update.builder(TOPIC).id("e-" + i).conflationKey(key).data(key + ":" + i + ":" + PAYLOAD)
                        .build());
            }
            if (kept) {
                Thread.sleep(1000);
                assertThat(hub.subscriberCount()).isEqualTo(1);
                hub.publish(Update.builder(TOPIC).id("e-9999").data("news:end").build());
                List<SseEvent> events = dashboard.readUntil(e -> e.id().equals("e-9999"), Duration.ofSeconds(30));
                assertThat(checkConflated(events)).hasSize(keys);
            } else {
                await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount() == 0);
            }
        }
    }

    @Test
    void rateCapConflatesOverHttp2() throws Exception {
        try (Hub hub = TestHubs.start()) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_2).build();
            HttpResponse<java.io.InputStream> r = client.send(java.net.http.HttpRequest.newBuilder(
                    TestHubs.url(hub, "match=" + q(TOPIC) + "&herald-max-rate=5")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            try (java.io.InputStream body = r.body()) {
                await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
                for (int i = 0; i < 200; i++) {
                    hub.publish(Update.builder(TOPIC).id("e-" + i).conflationKey("k").data("k:" + i).build());
                }
                StringBuilder text = new StringBuilder();
                byte[] buf = new byte[8192];
                while (!text.toString().contains("data: k:199\n")) {
                    int n = body.read(buf);
                    assertThat(n).as("stream open").isPositive();
                    text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                long events = text.toString().lines().filter(l -> l.startsWith("data: ")).count();
                assertThat(events).as("the first, then the newest: conflated, not 200").isLessThan(20);
            }
        }
    }

    @Test
    void updatesWithoutAKeyAloneBeyondTheBacklogDisconnectAConflatingSubscriber() throws Exception {
        try (Hub hub = slowLimits().build().start();
             SlowSseClient dashboard = SlowSseClient.open(hub, "match=" + q(TOPIC) + "&herald-conflate=1")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
            for (int i = 0; i < 100; i++) { // ~1.6 MB that cannot be conflated
                hub.publish(Update.builder(TOPIC).id("e-" + i).data("news:" + i + ":" + PAYLOAD).build());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount() == 0);
        }
    }

    @ParameterizedTest(name = "{0} history")
    @EnumSource(HistoryKind.class)
    void replayAfterLastEventIdConflatesWithTheKeysTheHistoryKeptAndObeysTheRate(HistoryKind kind,
                                                                                 @TempDir Path dir) throws Exception {
        try (Hub hub = TestHubs.builder().history(kind).dataDir(dir).build().start()) {
            for (int i = 0; i < 20; i++) {
                Update.Builder b = Update.builder(TOPIC).id("e-" + i).data("k" + (i % 2) + ":" + i + ":");
                hub.publish((i == 15 ? b.data("news:15") : b.conflationKey("k" + (i % 2))).build());
            }
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&herald-max-rate=2"),
                    "Last-Event-ID", "e-9")) {
                assertThat(s.headers.firstValue("Mercure-Last-Event-ID")).hasValue("e-9");
                List<SseEvent> replay = new ArrayList<>();
                while (replay.isEmpty() || !replay.get(replay.size() - 1).id().equals("e-19")) {
                    replay.add(s.next(Duration.ofSeconds(5)));
                }
                // e-10 goes at once; the rest waits for the rate and conflates: e-15 has no key and is kept
                assertThat(replay).extracting(SseEvent::id).containsExactly("e-10", "e-15", "e-18", "e-19");
                assertThat(checkConflated(replay)).containsEntry("k0", 18).containsEntry("k1", 19);

                hub.publish(Update.builder(TOPIC).id("e-20").conflationKey("k0").data("k0:20:").build());
                assertThat(s.next(Duration.ofSeconds(5)).id()).as("then live, still capped").isEqualTo("e-20");
            }
        }
    }

    @Test
    void theKeyIsNotSentToSubscribers() throws Exception {
        try (Hub hub = TestHubs.start(); RawHttp raw = new RawHttp(hub.address())) {
            raw.send("GET " + hub.url().getPath() + "?match=" + q(TOPIC) + "&herald-conflate=1 HTTP/1.1\r\n"
                    + "Host: hub\r\n\r\n");
            assertThat(raw.read(Duration.ofSeconds(5)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
            String id = Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", TOPIC, "data", "42",
                    "herald-conflation-key", "key-only-the-hub-sees");

            raw.closedWithin(Duration.ofMillis(500));
            assertThat(raw.pending()).isEqualTo("id: " + id + "\ndata: 42\n\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "herald-conflate=yes | herald-conflate: yes (expected: 1, true, 0 or false)",
            "herald-conflate= | herald-conflate:  (expected: 1, true, 0 or false)",
            "herald-conflate=1&herald-conflate=1 | herald-conflate: given 2 times (expected: at most once)",
            "herald-max-rate=0 | herald-max-rate: 0 (expected: events per second, a decimal number from 0.01 to 10000)",
            "herald-max-rate=abc | herald-max-rate: abc (expected: events per second",
            "herald-max-rate=1e3 | herald-max-rate: 1e3 (expected: events per second",
            "herald-max-rate=-5 | herald-max-rate: -5 (expected: events per second",
            "herald-max-rate=10001 | herald-max-rate: 10001 (expected: events per second",
            "herald-max-rate=NaN | herald-max-rate: NaN (expected: events per second",
            "herald-max-rate=0.001 | herald-max-rate: 0.001 (expected: events per second",
            "herald-max-rate=5&herald-conflate=0 | herald-max-rate needs conflation (herald-conflate=0 given)"})
    void badConflationParametersAreRefusedWith400(String query, String reason) throws Exception {
        try (Hub hub = TestHubs.start();
             SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&" + query))) {
            assertThat(s.status).isEqualTo(400);
            assertThat(s.errorBody).contains(reason);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"herald-conflate=1", "herald-conflate=true", "herald-max-rate=2.5", "herald-conflate=0",
            "herald-conflate=false", "herald-max-rate=10000&herald-conflate=1"})
    void goodConflationParametersOpenTheStream(String query) throws Exception {
        try (Hub hub = TestHubs.start();
             SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&" + query))) {
            assertThat(s.status).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);
            hub.publish(Update.builder(TOPIC).conflationKey("k").data("v").build());
            assertThat(s.next().data()).isEqualTo("v");
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "'' | herald-conflation-key: 0 characters (expected: 1 to 256)",
            "LONG | herald-conflation-key: 257 characters (expected: 1 to 256)",
            "a<LF>b | herald-conflation-key: control character U+000A at index 1",
            "a<ZWSP>b | herald-conflation-key: format character U+200B at index 1"})
    void badConflationKeysAreRefusedWith400(String key, String reason) throws Exception {
        String value = key.equals("LONG") ? "k".repeat(257) : key.replace("<LF>", "\n").replace("<ZWSP>", "\u200B");
        try (Hub hub = TestHubs.start()) {
            HttpResponse<String> r = Publish.post(hub.url(), TestHubs.publisherToken(),
                    Publish.form("topic", TOPIC, "data", "x", "herald-conflation-key", value));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains(reason);
            assertThatThrownBy(() -> hub.publish(Update.builder(TOPIC).conflationKey(value).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
        }
    }

    @Test
    void aConflationKeyGivenTwiceIsRefusedWith400() throws Exception {
        try (Hub hub = TestHubs.start()) {
            HttpResponse<String> r = Publish.post(hub.url(), TestHubs.publisherToken(),
                    Publish.form("topic", TOPIC, "herald-conflation-key", "a", "herald-conflation-key", "b"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).startsWith("herald-conflation-key: given 2 times (expected: at most once)");
        }
    }
}
