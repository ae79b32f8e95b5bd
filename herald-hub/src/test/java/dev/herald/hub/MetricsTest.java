package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
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
                    "# TYPE herald_subscribers_connected gauge", "# TYPE herald_subscribers_slow_disconnected_total counter",
                    "# TYPE herald_replays_total counter", "# TYPE herald_resets_total counter");
        }
    }

    @Test
    void aSubscriptionWithAKnownLastEventIdCountsAReplayAndAnUnknownOneAReset() throws Exception {
        String topic = "https://example.com/metrics/replay";
        String query = "match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
        String first = Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "one");
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "two");

        String before = get("/metrics", "GET").body();
        try (SseStream s = SseStream.open(TestHubs.url(hub, query), "Last-Event-ID", first)) {
            assertThat(s.next().data()).isEqualTo("two");
            String after = get("/metrics", "GET").body();
            assertThat(value(after, "herald_replays_total")).isEqualTo(value(before, "herald_replays_total") + 1);
            assertThat(value(after, "herald_resets_total")).isEqualTo(value(before, "herald_resets_total"));
        }

        before = get("/metrics", "GET").body();
        try (SseStream s = SseStream.open(TestHubs.url(hub, query), "Last-Event-ID", "urn:uuid:never-published")) {
            assertThat(s.next().type()).isEqualTo("herald-reset");
            String after = get("/metrics", "GET").body();
            assertThat(value(after, "herald_resets_total")).isEqualTo(value(before, "herald_resets_total") + 1);
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsCountedAsSlowDisconnected() throws Exception {
        try (Hub small = TestHubs.builder().maxStallTime(Duration.ofMillis(300)).maxBacklogBytes(64 * 1024)
                .maxDataBytes(64 * 1024).build().start()) {
            String topic = "https://example.com/metrics/slow";
            URI metrics = small.url().resolve("/metrics");
            double before = value(CLIENT.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                    .body(), "herald_subscribers_slow_disconnected_total");
            try (Socket slow = new Socket("127.0.0.1", small.address().getPort())) {
                slow.setReceiveBufferSize(4096); // keep the kernel from absorbing what the hub writes
                OutputStream out = slow.getOutputStream();
                out.write(("GET /.well-known/mercure?match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                        + " HTTP/1.1\r\nHost: hub\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(5)).until(() -> small.subscriberCount() == 1);
                String payload = "x".repeat(60 * 1024);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    small.publish(Update.of(topic, payload)); // never read: the backlog grows until the hub gives up
                    return small.subscriberCount() == 0;
                });
            }
            double after = value(CLIENT.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                    .body(), "herald_subscribers_slow_disconnected_total");
            assertThat(after).isEqualTo(before + 1);
        }
    }

    @Test
    void openStreamsAreCountedByMatcherType() throws Exception {
        // the hub closes an earlier test's stream after its client did: a baseline taken while one
        // is still open would count its matchers and then lose them (the matchers are counted off
        // before the stream, so no open stream means no matcher of one is counted)
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 0);
        String before = get("/metrics", "GET").body();
        long streams = hub.subscriberCount();
        String query = "match=" + URLEncoder.encode("https://example.com/metrics/exact", StandardCharsets.UTF_8)
                + "&match=" + URLEncoder.encode("https://example.com/metrics/exact2", StandardCharsets.UTF_8)
                + "&match_urlpattern=" + URLEncoder.encode("https://example.com/metrics/:id", StandardCharsets.UTF_8)
                + "&match=*";
        try (SseStream s = SseStream.open(TestHubs.url(hub, query))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() > streams);
            String open = get("/metrics", "GET").body();
            assertThat(open).contains("# TYPE herald_subscriptions gauge");
            assertThat(labelled(open, "herald_subscriptions", "matcher_type=\"exact\""))
                    .isEqualTo(labelled(before, "herald_subscriptions", "matcher_type=\"exact\"") + 2);
            assertThat(labelled(open, "herald_subscriptions", "matcher_type=\"urlpattern\""))
                    .isEqualTo(labelled(before, "herald_subscriptions", "matcher_type=\"urlpattern\"") + 1);
            assertThat(labelled(open, "herald_subscriptions", "matcher_type=\"wildcard\""))
                    .isEqualTo(labelled(before, "herald_subscriptions", "matcher_type=\"wildcard\"") + 1);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(labelled(get("/metrics", "GET").body(),
                "herald_subscriptions", "matcher_type=\"urlpattern\""))
                .isEqualTo(labelled(before, "herald_subscriptions", "matcher_type=\"urlpattern\"")));
    }

    @Test
    void publishToWriteLatencyIsObservedOncePerUpdateThatReachedASubscriber() throws Exception {
        String topic = "https://example.com/metrics/latency";
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() >= 1);
            double count = value(get("/metrics", "GET").body(), "herald_publish_write_latency_seconds_count");
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/metrics/nobody", "data", "x");
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "one");
            assertThat(s.next().data()).isEqualTo("one");
            String scrape = get("/metrics", "GET").body();
            assertThat(scrape).contains("# TYPE herald_publish_write_latency_seconds histogram");
            // one subscriber, on one event loop: one observation; the update nobody follows: none
            assertThat(value(scrape, "herald_publish_write_latency_seconds_count")).isEqualTo(count + 1);
            assertThat(value(scrape, "herald_publish_write_latency_seconds_sum")).isPositive();
            Matcher buckets = Pattern.compile("(?m)^herald_publish_write_latency_seconds_bucket\\{le=\"([^\"]+)\"\\} (\\S+)$")
                    .matcher(scrape);
            double previous = 0;
            String lastBound = null;
            while (buckets.find()) {
                double cumulative = Double.parseDouble(buckets.group(2));
                assertThat(cumulative).as("cumulative buckets").isGreaterThanOrEqualTo(previous);
                previous = cumulative;
                lastBound = buckets.group(1);
            }
            assertThat(lastBound).isEqualTo("+Inf");
            assertThat(previous).isEqualTo(count + 1);
        }
    }

    @Test
    void authFailuresAreCountedByRoleAndReason() throws Exception {
        String before = get("/metrics", "GET").body();
        String topic = "topic=" + URLEncoder.encode("https://example.com/metrics/auth", StandardCharsets.UTF_8);
        assertThat(Publish.post(hub.url(), null, topic).statusCode()).isEqualTo(401);
        assertThat(Publish.post(hub.url(), dev.herald.hub.test.Tokens.publisher(dev.herald.hub.test.TestHubs.AUDIENCE,
                "https://example.com/other"), topic).statusCode()).isEqualTo(403);
        assertThat(Publish.post(hub.url(), "not-a-token", topic).statusCode()).isEqualTo(401);
        String expired = dev.herald.hub.test.Tokens.mint().subscribe("*").expiresIn(Duration.ofMinutes(-10)).sign();
        assertThat(CLIENT.send(HttpRequest.newBuilder(TestHubs.url(hub, "match=*")).header("Authorization", "Bearer " + expired)
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        assertThat(CLIENT.send(HttpRequest.newBuilder(TestHubs.url(hub, "match=*")).header("Authorization", "Basic x")
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(400);
        String after = get("/metrics", "GET").body();
        assertThat(after).contains("# TYPE herald_auth_failures_total counter");
        for (String labels : new String[] {"reason=\"missing_token\",role=\"publisher\"",
            "reason=\"insufficient_scope\",role=\"publisher\"", "reason=\"invalid_token\",role=\"publisher\"",
            "reason=\"expired_token\",role=\"subscriber\"", "reason=\"invalid_request\",role=\"subscriber\""}) {
            assertThat(labelled(after, "herald_auth_failures_total", labels)).as(labels)
                    .isEqualTo(labelled(before, "herald_auth_failures_total", labels) + 1);
        }
    }

    @Test
    void historySizeAndRetentionEvictionsAreReported() throws Exception {
        try (Hub small = TestHubs.builder().historyMaxEvents(3).build().start()) {
            for (int i = 0; i < 5; i++) {
                Publish.ok(small.url(), TestHubs.publisherToken(), "topic", "https://example.com/metrics/h", "data", "u" + i);
            }
            String scrape = CLIENT.send(HttpRequest.newBuilder(small.url().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(value(scrape, "herald_history_events")).isEqualTo(3);
            assertThat(value(scrape, "herald_history_evictions_total")).isEqualTo(2);
            assertThat(value(scrape, "herald_history_bytes")).isPositive();
        }
    }

    /** The value of {@code series} with exactly {@code labels} (rendered, sorted as Prometheus writes them), 0 if absent. */
    static double labelled(String scrape, String series, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void scrapeHasJvmAndNettyMemory() throws Exception {
        String scrape = get("/metrics", "GET").body();
        assertThat(sum(scrape, "jvm_memory_used_bytes")).isPositive();
        assertThat(scrape).contains("jvm_gc_", "jvm_threads_live_threads ", "netty_allocator_memory_used");
    }

    /**
     * Netty 4.2's channels allocate from {@code ByteBufAllocator.DEFAULT}, the adaptive allocator unless
     * {@code -Dio.netty.allocator.type} says otherwise; the hub configures none, so its memory is that
     * allocator's, not the pooled one's that Netty 4.1 used.
     */
    @Test
    void nettyMemoryIsThatOfTheAllocatorTheHubsChannelsUse() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(); // a channel with Netty's default configuration, as the hub's
        ByteBufAllocator inUse = channel.alloc();
        channel.close();
        assertThat(inUse).isSameAs(ByteBufAllocator.DEFAULT);
        String scrape = get("/metrics", "GET").body();
        Matcher m = Pattern.compile("(?m)^netty_allocator_memory_used\\w*\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        Set<String> types = new TreeSet<>();
        double direct = 0;
        while (m.find()) {
            Matcher type = Pattern.compile("allocator_type=\"([^\"]+)\"").matcher(m.group(1));
            assertThat(type.find()).as(m.group()).isTrue();
            types.add(type.group(1));
            if (m.group(1).contains("memory_type=\"direct\"")) {
                direct += Double.parseDouble(m.group(2));
            }
        }
        assertThat(types).containsExactly(inUse.getClass().getSimpleName());
        assertThat(direct).as("direct memory of the allocator that wrote this hub's responses").isPositive();
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
