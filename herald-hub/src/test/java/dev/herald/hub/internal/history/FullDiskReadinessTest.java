package dev.herald.hub.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.Durability;
import dev.herald.hub.Hub;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub whose SQLite history filled up, capped with {@code max_page_count} (writes then fail with
 * {@code SQLITE_FULL} exactly as on a full disk): it is not ready while full and ready again once
 * space returns, without waiting for a publish, which a load balancer routing by {@code /readyz}
 * would not send it.
 */
class FullDiskReadinessTest {

    static final String TOPIC = "https://example.com/feed";
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** How often the hub's history writer probes a failing history (HistoryWriter.PROBE_INTERVAL). */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    static HttpResponse<String> readyz(Hub hub) throws Exception {
        URI uri = hub.url().resolve("/readyz");
        return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHubWhoseDiskFilledBecomesReadyAgainWhenSpaceReturnsWithoutAnyPublish() throws Exception {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir, Durability.BATCH, SqliteHistoryStoreTest.KEEP_ALL);
        try (Hub hub = TestHubs.builder().historyStore(store).build().start()) {
            String token = TestHubs.publisherToken();
            String big = "x".repeat(16 * 1024); // needs new pages: refused once the file may not grow
            Publish.ok(hub.url(), token, "topic", TOPIC, "data", big);
            store.capPages(store.pageCount()); // the disk is full

            assertThat(Publish.post(hub.url(), token, Publish.form("topic", TOPIC, "data", big)).statusCode())
                    .isEqualTo(503);
            assertThat(readyz(hub).body()).contains("disk full");
            Duration probes = PROBE_INTERVAL.multipliedBy(3);
            await().during(probes).atMost(probes.plusSeconds(2))
                    .until(() -> readyz(hub).statusCode() == 503); // still full: every probe fails

            store.capPages(1_000_000); // space returns; no publish arrives
            await().atMost(PROBE_INTERVAL.plusSeconds(4)).until(() -> readyz(hub).statusCode() == 200);
            Publish.ok(hub.url(), token, "topic", TOPIC, "data", big);
            assertThat(store.read(0, 10, 10)).hasSize(2);
        }
    }

    @Test
    void roomForASmallWriteButNotForTheRefusedUpdateKeepsTheHubNotReady() throws Exception {
        SqliteHistoryStore store = SqliteHistoryStore.open(dir, Durability.BATCH, SqliteHistoryStoreTest.KEEP_ALL);
        try (Hub hub = TestHubs.builder().historyStore(store).build().start()) {
            String token = TestHubs.publisherToken();
            Publish.ok(hub.url(), token, "topic", TOPIC, "data", "small");
            store.capPages(store.pageCount());
            String large = "x".repeat(512 * 1024);
            assertThat(Publish.post(hub.url(), token, Publish.form("topic", TOPIC, "data", large)).statusCode())
                    .isEqualTo(503);

            store.capPages(store.pageCount() + 32); // 128 KiB more: room for a 64 KiB probe, not for the update
            Duration probes = PROBE_INTERVAL.multipliedBy(3);
            await().during(probes).atMost(probes.plusSeconds(2))
                    .until(() -> readyz(hub).statusCode() == 503); // probed with the refused size

            store.capPages(1_000_000);
            await().atMost(PROBE_INTERVAL.plusSeconds(4)).until(() -> readyz(hub).statusCode() == 200);
            Publish.ok(hub.url(), token, "topic", TOPIC, "data", large);
        }
    }
}
