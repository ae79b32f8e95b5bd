package dev.herald.hub;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.json;
import static dev.herald.hub.test.SubscriptionsApi.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mercure §"Subscription Events": with active subscriptions on, a private {@code mercure} event on
 * {@code /.well-known/mercure/subscriptions/{match_type}/{match}/{subscriber}} when a subscription
 * starts and when it ends, however it ends; its variables percent-encoded exactly once; the token's
 * payload; delivered only to subscribers whose token grants them.
 */
class SubscriptionEventsTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static Hub hub;
    static String watcherToken;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().subscriptions(true).build().start();
        watcherToken = SubscriptionsApi.watcherToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Follows the subscription events of exact matcher {@code topic}. */
    static SseStream watch(String topic) throws Exception {
        String pattern = NAMESPACE + "/exact/" + SubscriptionsApi.expand(topic) + "/*";
        SseStream s = SseStream.open(TestHubs.url(hub, param("match_urlpattern", pattern)),
                "Authorization", "Bearer " + watcherToken);
        assertThat(s.status).isEqualTo(200);
        return s;
    }

    static SseStream subscribe(String query, String... headers) throws Exception {
        SseStream s = SseStream.open(TestHubs.url(hub, query), headers);
        assertThat(s.status).as("subscription answered").isEqualTo(200);
        return s;
    }

    /** The next event, checked to be a subscription event, as its JSON document. */
    static JsonNode nextSubscriptionEvent(SseStream watcher) throws Exception {
        SseEvent e = watcher.next(WAIT);
        assertThat(e.type()).isEqualTo("mercure");
        assertThat(e.id()).startsWith("urn:uuid:");
        return json(e.data());
    }

    @Test
    void aStreamsStartAndEndArePublishedOnItsSubscriptionTopic() throws Exception {
        String topic = "https://example.com/events/1";
        try (SseStream watcher = watch(topic)) {
            SseStream s = subscribe(param("match", topic));
            SseEvent startEvent = watcher.next(WAIT);
            JsonNode start = json(startEvent.data());
            String subscriber = start.get("subscriber").asText();
            assertThat(subscriber).matches("urn:uuid:[0-9a-f-]{36}");
            String id = NAMESPACE + "/exact/https%3A%2F%2Fexample.com%2Fevents%2F1/urn%3Auuid%3A"
                    + subscriber.substring("urn:uuid:".length());
            assertThat(startEvent.type()).isEqualTo("mercure");
            assertThat(start.get("id").asText()).isEqualTo(id);
            assertThat(start.get("type").asText()).isEqualTo("subscription");
            assertThat(start.get("match_type").asText()).isEqualTo("exact");
            assertThat(start.get("match").asText()).isEqualTo(topic);
            assertThat(start.get("active").asBoolean()).isTrue();
            assertThat(start.has("payload")).as("anonymous: no payload").isFalse();

            s.close();
            SseEvent endEvent = watcher.next(WAIT);
            JsonNode end = json(endEvent.data());
            assertThat(endEvent.type()).isEqualTo("mercure");
            assertThat(end.get("id").asText()).isEqualTo(id);
            assertThat(end.get("subscriber").asText()).isEqualTo(subscriber);
            assertThat(end.get("active").asBoolean()).isFalse();
            assertThat(endEvent.id()).as("each event has an id of its own").isNotEqualTo(startEvent.id())
                    .startsWith("urn:uuid:");
        }
    }

    @Test
    void aConnectionDroppedWithoutGoodbyeEndsItsSubscription() throws Exception {
        String topic = "https://example.com/events/abrupt";
        try (SseStream watcher = watch(topic); RawHttp raw = new RawHttp(hub.address())) {
            raw.send("GET /.well-known/mercure?" + param("match", topic) + " HTTP/1.1\r\nHost: hub.test\r\n"
                    + "Accept: text/event-stream\r\n\r\n");
            assertThat(raw.read(WAIT).status()).isEqualTo(200);
            JsonNode start = nextSubscriptionEvent(watcher);
            assertThat(start.get("active").asBoolean()).isTrue();

            raw.abort(); // TCP reset: no FIN, nothing more read from the stream
            JsonNode end = nextSubscriptionEvent(watcher);
            assertThat(end.get("active").asBoolean()).isFalse();
            assertThat(end.get("subscriber").asText()).isEqualTo(start.get("subscriber").asText());
        }
    }

    @Test
    void eachDistinctMatcherOfAStreamIsOneSubscriptionOfOneSubscriber() throws Exception {
        String a = "https://example.com/multi/a";
        String b = "https://example.com/multi/b";
        try (SseStream watchA = watch(a); SseStream watchB = watch(b)) {
            SseStream first = subscribe(param("match", a) + "&" + param("match", b) + "&" + param("match_exact", a));
            SseStream second = subscribe(param("match", a));
            JsonNode firstA = nextSubscriptionEvent(watchA);
            JsonNode secondA = nextSubscriptionEvent(watchA);
            JsonNode firstB = nextSubscriptionEvent(watchB);
            // had match_exact=a (the same matcher as match=a) made a subscription of its own, the second
            // event would be it, with the first stream's subscriber
            assertThat(firstA.get("subscriber").asText()).as("one id per stream, reused across its matchers")
                    .isEqualTo(firstB.get("subscriber").asText())
                    .isNotEqualTo(secondA.get("subscriber").asText());
            first.close();
            second.close();
            List<Boolean> ends = List.of(nextSubscriptionEvent(watchA).get("active").asBoolean(),
                    nextSubscriptionEvent(watchA).get("active").asBoolean(),
                    nextSubscriptionEvent(watchB).get("active").asBoolean());
            assertThat(ends).containsOnly(false);
        }
    }

    @Test
    void aTokensPayloadForTheMatcherIsPartOfTheDocument() throws Exception {
        String named = "https://example.com/payload/1";
        String other = "https://example.com/payload/2";
        String token = Tokens.mint().subject("ada")
                .subscribe(named).payload(Map.of("name", "Ada"))
                .subscribe("*").payload(Map.of("default", true))
                .sign();
        try (SseStream watchNamed = watch(named); SseStream watchOther = watch(other)) {
            SseStream s = subscribe(param("match", named) + "&" + param("match", other), "Authorization", "Bearer " + token);
            assertThat(nextSubscriptionEvent(watchNamed).get("payload").toString()).isEqualTo("{\"name\":\"Ada\"}");
            assertThat(nextSubscriptionEvent(watchOther).get("payload").toString()).isEqualTo("{\"default\":true}");
            s.close();
            assertThat(nextSubscriptionEvent(watchNamed).get("payload").toString()).isEqualTo("{\"name\":\"Ada\"}");
        }
    }

    @Test
    void matchAndSubscriberArePercentEncodedExactlyOnceInTheTopic() throws Exception {
        String match = "https://example.com/a%2Fb?x=1&y=é d";
        String pattern = NAMESPACE + "/*";
        try (SseStream watcher = SseStream.open(TestHubs.url(hub, param("match_urlpattern", pattern)),
                "Authorization", "Bearer " + watcherToken)) {
            SseStream s = subscribe(param("match", match));
            JsonNode doc = next(watcher, match);
            String uuid = doc.get("subscriber").asText().substring("urn:uuid:".length());
            assertThat(doc.get("id").asText()).isEqualTo(NAMESPACE
                    + "/exact/https%3A%2F%2Fexample.com%2Fa%252Fb%3Fx%3D1%26y%3D%C3%A9%20d/urn%3Auuid%3A" + uuid);
            assertThat(doc.get("match").asText()).as("the raw matcher in the document").isEqualTo(match);

            // the API finds it under the same, once-encoded path, and under another spelling of it
            String token = SubscriptionsApi.watcherToken();
            HttpResponse<String> one = SubscriptionsApi.get(hub, doc.get("id").asText(), token);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(json(one.body()).get("id").asText()).isEqualTo(doc.get("id").asText());
            HttpResponse<String> respelled = SubscriptionsApi.get(hub, NAMESPACE
                    + "/exact/https:%2f%2fexample.com%2fa%252Fb%3fx=1&y=%c3%a9%20d/urn:uuid:" + uuid, token);
            assertThat(respelled.statusCode()).isEqualTo(200);
            assertThat(respelled.body()).isEqualTo(one.body());
            s.close();
        }
    }

    /** The next subscription event of the watcher about {@code match}, skipping others. */
    static JsonNode next(SseStream watcher, String match) throws Exception {
        while (true) {
            JsonNode doc = nextSubscriptionEvent(watcher);
            if (doc.get("match").asText().equals(match)) {
                return doc;
            }
        }
    }

    @Test
    void subscriptionEventsReachOnlySubscribersWhoseTokenGrantsTheirTopic() throws Exception {
        String topic = "https://example.com/private-check";
        String marker = "https://example.com/private-check/marker";
        String everythingElse = Tokens.mint().subscribe("urlpattern:https://example.com/*", marker).sign();
        String all = Tokens.mint().subscribe("*").sign();
        List<SseStream> streams = new ArrayList<>();
        try {
            SseStream anonymous = subscribe("match=*");
            SseStream notGranted = subscribe("match=*", "Authorization", "Bearer " + everythingElse);
            SseStream granted = subscribe("match=*", "Authorization", "Bearer " + all);
            streams.addAll(List.of(anonymous, notGranted, granted));
            SseStream viewer = subscribe(param("match", topic));
            streams.add(viewer);
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", marker, "data", "after");
            // in the hub's order the subscription event came first: the marker proves it was withheld
            assertThat(untilMarker(anonymous)).isEmpty();
            assertThat(untilMarker(notGranted)).isEmpty();
            assertThat(untilMarker(granted)).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo("mercure");
                assertThat(json(e.data()).get("match").asText()).isEqualTo(topic);
            });
        } finally {
            for (SseStream s : streams) {
                s.close();
            }
        }
    }

    /** The subscription events a stream received before the marker update. */
    static List<SseEvent> untilMarker(SseStream s) throws Exception {
        List<SseEvent> before = new ArrayList<>();
        while (true) {
            SseEvent e = s.next(WAIT);
            if ("after".equals(e.data())) {
                return before;
            }
            if ("mercure".equals(e.type())) {
                before.add(e);
            }
        }
    }

    @Test
    void aHistoryRefusingSubscriptionEventsNeverFailsTheSubscriptionAndARefusedEndIsRetried() throws Exception {
        HistoryUnavailableTest.SwitchableStore store = new HistoryUnavailableTest.SwitchableStore();
        String token = SubscriptionsApi.watcherToken();
        String topic = "https://example.com/refused";
        String listing = NAMESPACE + "/exact/" + SubscriptionsApi.expand(topic);
        try (Hub h = TestHubs.builder().historyStore(store).subscriptions(true).build().start()) {
            store.full = true;
            try (SseStream s = SseStream.open(TestHubs.url(h, param("match", topic)))) {
                assertThat(s.status).isEqualTo(200);
                await().atMost(WAIT).until(() -> failedEvents(h) == 1);
                store.full = false;
                Publish.ok(h.url(), TestHubs.publisherToken(), "topic", topic, "data", "still served");
                assertThat(s.next(WAIT).data()).isEqualTo("still served");
                assertThat(json(SubscriptionsApi.get(h, listing, token).body()).get("subscriptions"))
                        .as("its start was refused: never listed").isEmpty();
            }

            SseStream t = SseStream.open(TestHubs.url(h, param("match", topic)));
            await().atMost(WAIT).until(() ->
                    json(SubscriptionsApi.get(h, listing, token).body()).get("subscriptions").size() == 1);
            store.full = true;
            t.close();
            await().atMost(WAIT).until(() -> failedEvents(h) >= 2);
            assertThat(json(SubscriptionsApi.get(h, listing, token).body()).get("subscriptions")).hasSize(1);
            store.full = false; // the end is published again once the history takes it
            await().atMost(WAIT).until(() ->
                    json(SubscriptionsApi.get(h, listing, token).body()).get("subscriptions").isEmpty());
        }
    }

    /** {@code herald_subscription_events_failed_total} from {@code /metrics}. */
    static double failedEvents(Hub h) {
        for (String line : SubscriptionsApi.get(h, "/metrics", null).body().split("\n")) {
            if (line.startsWith("herald_subscription_events_failed_total ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no herald_subscription_events_failed_total in /metrics");
    }

    @Test
    void publishersCannotForgeSubscriptionEvents() throws Exception {
        String token = TestHubs.publisherToken();
        assertThat(Publish.post(hub.url(), token, Publish.form("topic", "https://example.com/x", "type", "mercure",
                "data", "{}")).statusCode()).isEqualTo(400);
        assertThat(Publish.post(hub.url(), token, Publish.form("topic", NAMESPACE + "/exact/x/urn%3Auuid%3A1",
                "data", "{}")).statusCode()).isEqualTo(400);
    }
}
