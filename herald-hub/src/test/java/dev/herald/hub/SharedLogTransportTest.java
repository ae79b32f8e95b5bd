package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SharedLog;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub's transport mode against an in-memory shared log: the order is the log's, delivery is
 * driven by each hub's feed (its own publishes included), Last-Event-ID resolves on any hub, skipped
 * sequences become herald-reset, and an unreachable log means 503s and a not-ready hub.
 */
class SharedLogTransportTest {

    static final String TOPIC = "https://example.com/shared";
    static final String MATCH = "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8);
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static Hub hubOn(SharedLog log, SharedLog.Transport transport) {
        return TestHubs.builder().transport(transport).build().start();
    }

    static String publish(Hub hub, String id, String data) throws Exception {
        return Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", TOPIC, "id", id, "data", data);
    }

    static HttpResponse<String> get(Hub hub, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(hub.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoHubsOnOneLogDeliverEveryUpdateInTheLogsOrder() throws Exception {
        SharedLog log = new SharedLog();
        try (Hub a = hubOn(log, log.transport()); Hub b = hubOn(log, log.transport());
             SseStream onA = SseStream.open(TestHubs.url(a, MATCH)); SseStream onB = SseStream.open(TestHubs.url(b, MATCH))) {
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                published.add(publish(i % 2 == 0 ? a : b, "u" + i, Integer.toString(i)));
            }
            assertThat(onA.next(40, Duration.ofSeconds(10))).extracting(SseEvent::id).containsExactlyElementsOf(published);
            assertThat(onB.next(40, Duration.ofSeconds(10))).extracting(SseEvent::id).containsExactlyElementsOf(published);
        }
    }

    @Test
    void aPublishReachesTheHubsOwnSubscribersOnlyThroughItsFeed() throws Exception {
        SharedLog log = new SharedLog();
        SharedLog.Transport transport = log.transport();
        try (Hub hub = hubOn(log, transport); SseStream stream = SseStream.open(TestHubs.url(hub, MATCH))) {
            transport.holdFeed(true);
            assertThat(publish(hub, "held", "x")).isEqualTo("held"); // acknowledged: the log has it
            assertThat(stream.poll(Duration.ofMillis(300))).as("not delivered before the feed reads it").isNull();
            transport.holdFeed(false);
            assertThat(stream.next().id()).isEqualTo("held");
        }
    }

    @Test
    void lastEventIdResolvesOnAHubWhoseFeedHasNotReadItYet() throws Exception {
        SharedLog log = new SharedLog();
        SharedLog.Transport onB = log.transport();
        try (Hub a = hubOn(log, log.transport()); Hub b = hubOn(log, onB)) {
            onB.holdFeed(true);
            publish(a, "x1", "1");
            publish(a, "x2", "2");
            // the subscriber saw x1 on hub A; hub B has not read x1 or x2 yet
            try (SseStream moved = SseStream.open(TestHubs.url(b, MATCH), "Last-Event-ID", "x1")) {
                assertThat(moved.headers.firstValue("Mercure-Last-Event-ID")).hasValue("x1");
                publish(a, "x3", "3");
                onB.holdFeed(false);
                assertThat(moved.next(2, Duration.ofSeconds(5))).extracting(SseEvent::id).containsExactly("x2", "x3");
                assertThat(moved.poll(Duration.ofMillis(200))).as("no duplicate").isNull();
            }
        }
    }

    @Test
    void sequencesDroppedBeforeTheFeedReadThemAreAResetForLiveSubscribers() throws Exception {
        SharedLog log = new SharedLog();
        SharedLog.Transport lagging = log.transport();
        try (Hub a = hubOn(log, log.transport()); Hub b = hubOn(log, lagging);
             SseStream stream = SseStream.open(TestHubs.url(b, MATCH))) {
            lagging.holdFeed(true);
            publish(a, "gone1", "1");
            publish(a, "gone2", "2");
            log.dropUpTo(2); // retention, before hub B read them
            publish(a, "kept", "3");
            lagging.holdFeed(false);
            SseEvent reset = stream.next();
            assertThat(reset.type()).isEqualTo("herald-reset");
            assertThat(reset.data()).isEqualTo("{\"lastEventId\":null,\"earliestEventId\":\"kept\"}");
            assertThat(stream.next().id()).isEqualTo("kept");
        }
    }

    @Test
    void anUnreachableLogMeans503WithRetryAfterAndANotReadyHubWhoseStreamsStayOpen() throws Exception {
        SharedLog log = new SharedLog();
        try (Hub hub = hubOn(log, log.transport()); SseStream stream = SseStream.open(TestHubs.url(hub, MATCH))) {
            log.down("connection refused");
            HttpResponse<String> refused = Publish.post(hub.url(), TestHubs.publisherToken(),
                    Publish.form("topic", TOPIC, "data", "x"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
            HttpResponse<String> ready = get(hub, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("log down: connection refused");
            assertThat(get(hub, "/metrics").body()).contains("herald_transport_connected 0.0");
            log.down(null);
            assertThat(get(hub, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(hub, "/metrics").body()).contains("herald_transport_connected 1.0");
            publish(hub, "after", "y");
            assertThat(stream.next().id()).as("the stream stayed open").isEqualTo("after");
        }
    }

    @Test
    void aHistoryStoreBesideATransportIsRefused() {
        Hub.Builder b = TestHubs.builder().transport(new SharedLog().transport())
                .historyStore(new dev.herald.hub.internal.history.MemoryHistoryStore(10));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("historyStore: a hub with a transport keeps no history of its own");
    }

    @Test
    void aTransportUriWithoutAProviderOnTheClassPathIsAStartError() {
        Hub hub = TestHubs.builder().transport(URI.create("nats://localhost:4222")).build();
        assertThatThrownBy(hub::start).isInstanceOf(HubStartException.class)
                .hasMessage("transport: no transport for 'nats:' URIs (none on the class path: add herald-redis for "
                        + "redis://, rediss:// and redis-sentinel://)");
    }
}
