package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Retention bounds (events, age, bytes) on both built-in histories, and the reset event they cause. */
class HistoryRetentionTest {

    static final String TOPIC = "https://example.com/feed";

    @TempDir
    Path dataDir;

    Hub.Builder hub(HistoryKind kind) {
        return TestHubs.builder().history(kind).dataDir(dataDir);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> publish(Hub hub, int n, String data) {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(hub.publishAsync(Update.of(TOPIC, data + i)));
        }
        List<String> ids = new ArrayList<>();
        futures.forEach(f -> ids.add(f.join()));
        return ids;
    }

    /** What a subscriber asking for {@code earliest} gets now (the stream is read until it goes quiet). */
    static List<SseEvent> earliest(Hub hub) throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=earliest"))) {
            List<SseEvent> got = new ArrayList<>();
            SseEvent e;
            while ((e = s.poll(Duration.ofMillis(300))) != null) {
                got.add(e);
            }
            return got;
        }
    }

    @ParameterizedTest
    @EnumSource(HistoryKind.class)
    void atMostMaxEventsAreKeptAndAnIdDroppedByRetentionGetsTheResetEvent(HistoryKind kind) throws Exception {
        try (Hub hub = hub(kind).historyMaxEvents(100).build().start()) {
            List<String> ids = publish(hub, 300, "e");
            // SQLite applies retention in the background, about every second
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(earliest(hub)).extracting(SseEvent::id).containsExactlyElementsOf(ids.subList(200, 300)));

            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", ids.get(0))) {
                assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue("earliest");
                SseEvent reset = s.next();
                assertThat(reset.type()).isEqualTo("herald-reset");
                assertThat(reset.data()).isEqualTo("{\"lastEventId\":\"" + ids.get(0) + "\",\"earliestEventId\":\""
                        + ids.get(200) + "\"}");
                assertThat(s.next(100, Duration.ofSeconds(5))).extracting(SseEvent::id)
                        .containsExactlyElementsOf(ids.subList(200, 300));
            }
            // an id still kept needs no reset
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", ids.get(289))) {
                assertThat(s.next(10, Duration.ofSeconds(5))).extracting(SseEvent::id)
                        .containsExactlyElementsOf(ids.subList(290, 300));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HistoryKind.class)
    void updatesOlderThanMaxAgeAreDroppedAndTheirIdsGetTheResetEvent(HistoryKind kind) throws Exception {
        // long enough for the fresh updates to outlive the checks below (SQLite applies it about every
        // second; the memory store whenever it is read)
        Duration maxAge = kind == HistoryKind.SQLITE ? Duration.ofSeconds(4) : Duration.ofSeconds(2);
        try (Hub hub = hub(kind).historyMaxAge(maxAge).build().start()) {
            List<String> old = publish(hub, 5, "old");
            Thread.sleep(maxAge.toMillis() + 200);
            List<String> fresh = publish(hub, 3, "fresh");
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(earliest(hub)).extracting(SseEvent::id).containsExactlyElementsOf(fresh));
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", old.get(4))) {
                assertThat(s.next().type()).isEqualTo("herald-reset");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(HistoryKind.class)
    void storedBytesStayWithinMaxBytesKeepingTheNewest(HistoryKind kind) throws Exception {
        String data = "x".repeat(1_000);
        try (Hub hub = hub(kind).historyMaxBytes(10_500).build().start()) {
            List<String> ids = publish(hub, 50, data);
            // each update counts for about 1,090 bytes (frame and topic): 9 of them fit in 10,500, not 10
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(earliest(hub)).extracting(SseEvent::id).containsExactlyElementsOf(ids.subList(41, 50)));
        }
    }
}
