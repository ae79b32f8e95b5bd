package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite history across restarts: nothing acknowledged is lost, and order holds. */
class DurableHistoryTest {

    static final String TOPIC = "https://example.com/feed";

    @TempDir
    Path dataDir;

    Hub.Builder sqlite() {
        return TestHubs.builder().history(HistoryKind.SQLITE).dataDir(dataDir);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Publishes {@code n} updates with data "0".."n-1", a window of them at a time; returns their ids. */
    static List<String> publishMany(Hub hub, int n) {
        List<String> ids = new ArrayList<>(n);
        List<CompletableFuture<String>> window = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            window.add(hub.publishAsync(Update.of(TOPIC, Integer.toString(i))));
            if (window.size() == 500 || i == n - 1) {
                window.forEach(f -> ids.add(f.join()));
                window.clear();
            }
        }
        return ids;
    }

    @Test
    void afterARestartLastEventIdReplaysExactlyTheUpdatesAfterItAndEarliestReplaysAll() throws Exception {
        List<String> ids;
        try (Hub hub = sqlite().build().start()) {
            ids = publishMany(hub, 10_000);
        }
        assertThat(ids).doesNotHaveDuplicates().hasSize(10_000);

        try (Hub hub = sqlite().build().start()) {
            String fiveThousandth = ids.get(4_999);
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", fiveThousandth)) {
                assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue(fiveThousandth);
                List<SseEvent> got = s.next(5_000, Duration.ofSeconds(30));
                assertThat(got).extracting(SseEvent::id).containsExactlyElementsOf(ids.subList(5_000, 10_000));
                assertThat(got.get(0).data()).isEqualTo("5000");
                assertThat(got.get(4_999).data()).isEqualTo("9999");
                assertThat(s.poll(Duration.ofMillis(200))).as("nothing after the last").isNull();
            }
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=earliest"))) {
                List<SseEvent> got = s.next(10_000, Duration.ofSeconds(30));
                assertThat(got).extracting(SseEvent::id).containsExactlyElementsOf(ids);
                assertThat(s.poll(Duration.ofMillis(200))).isNull();
            }
        }
    }

    @Test
    void updatesPublishedAfterARestartComeAfterTheOldOnesAndPrivacySurvives() throws Exception {
        String token = TestHubs.publisherToken();
        String a;
        String hidden;
        try (Hub hub = sqlite().build().start()) {
            a = Publish.ok(hub.url(), token, "topic", TOPIC, "data", "a");
            hidden = Publish.ok(hub.url(), token, "topic", TOPIC, "data", "secret", "private", "on");
        }
        try (Hub hub = sqlite().build().start()) {
            String c = Publish.ok(hub.url(), token, "topic", TOPIC, "data", "c");
            try (SseStream anonymous = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", a);
                 SseStream authorized = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", a,
                         "Authorization", "Bearer " + Tokens.subscriber(TestHubs.AUDIENCE, TOPIC))) {
                assertThat(anonymous.next().id()).isEqualTo(c);
                assertThat(authorized.next(2, Duration.ofSeconds(5))).extracting(SseEvent::id).containsExactly(hidden, c);
            }
        }
    }

    @Test
    void anHttpPublishIsAnsweredOnlyOnceItIsReadableFromTheHistory() throws Exception {
        try (Hub hub = sqlite().build().start()) {
            String token = TestHubs.publisherToken();
            for (int i = 0; i < 50; i++) {
                String id = Publish.ok(hub.url(), token, "topic", TOPIC, "data", "n" + i);
                // a subscriber arriving right after the 200 finds it
                try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=earliest"))) {
                    assertThat(s.next(i + 1, Duration.ofSeconds(5)).get(i).id()).isEqualTo(id);
                }
            }
        }
    }
}
