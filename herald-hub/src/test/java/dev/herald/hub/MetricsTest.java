package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: the Prometheus text format, with the hub's counters, JVM and Netty memory. */
class MetricsTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static Hub hub;

    @BeforeAll
    static void start() {
        hub = TestHubs.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<String> get(String path, String method) throws Exception {
        URI uri = hub.url().resolve(path);
        return CLIENT.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static double sum(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    @Test
    void scrapeCountsPublishesDeliveriesAndOpenStreams() throws Exception {
        String before = get("/metrics", "GET").body();
        double published = value(before, "herald_updates_published_total");
        double delivered = value(before, "herald_updates_delivered_total");
        String topic = "https://example.com/metrics/1";
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() >= 1);
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "one");
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "two");
            assertThat(s.next().data()).isEqualTo("one");
            assertThat(s.next().data()).isEqualTo("two");

            HttpResponse<String> r = get("/metrics", "GET");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            String after = r.body();
            assertThat(value(after, "herald_updates_published_total")).isEqualTo(published + 2);
            assertThat(value(after, "herald_updates_delivered_total")).isGreaterThanOrEqualTo(delivered + 2);
            assertThat(value(after, "herald_subscribers_connected")).isGreaterThanOrEqualTo(1);
            assertThat(after).contains("# TYPE herald_updates_published_total counter",
                    "# TYPE herald_subscribers_connected gauge", "herald_subscribers_slow_disconnected_total ",
                    "herald_replays_total ", "herald_resets_total ");
        }
    }

    @Test
    void scrapeHasJvmAndNettyMemory() throws Exception {
        String scrape = get("/metrics", "GET").body();
        assertThat(sum(scrape, "jvm_memory_used_bytes")).isPositive();
        assertThat(scrape).contains("jvm_gc_", "jvm_threads_live_threads ", "netty_allocator_memory_used");
    }

    @Test
    void headAnswersWithoutBodyAndPostIsRefused() throws Exception {
        HttpResponse<String> head = get("/metrics", "HEAD");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpResponse<String> post = get("/metrics", "POST");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
    }
}
