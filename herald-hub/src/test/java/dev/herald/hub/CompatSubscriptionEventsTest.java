package dev.herald.hub;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.get;
import static dev.herald.hub.test.SubscriptionsApi.json;
import static dev.herald.hub.test.SubscriptionsApi.param;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscription events in {@code --compat=0.x} (Mercure appendix "Changes from Pre-Standardization
 * Deployments"): a subscription made with a pre-1.0 {@code topic} selector is announced in the
 * pre-1.0 shape — its own topic, {@code "type": "Subscription"}, no SSE event type — which old
 * clients follow with their usual template and {@code onmessage}; 1.0 subscriptions keep the 1.0
 * shape, and only they are listed by the 1.0 Subscription API.
 */
class CompatSubscriptionEventsTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    /** The template pre-1.0 subscribers follow subscription events with. */
    static final String PRE_ONE_TEMPLATE = NAMESPACE + "{/topic}{/subscriber}";
    static Hub hub;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().compat(Compat.V0X).subscriptions(true).build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** A pre-1.0 client following subscription events: its token and selector are the template. */
    static SseStream preOneWatcher() throws Exception {
        String token = Tokens.mint().legacy(List.of(), List.of(PRE_ONE_TEMPLATE), null).sign();
        SseStream s = SseStream.open(TestHubs.url(hub, param("topic", PRE_ONE_TEMPLATE)),
                "Authorization", "Bearer " + token);
        assertThat(s.status).isEqualTo(200);
        // its own subscription comes first: a topic selector too, so in the pre-1.0 shape
        assertThat(json(s.next(WAIT).data()).get("topic").asText()).isEqualTo(PRE_ONE_TEMPLATE);
        return s;
    }

    static SseStream subscribe(String query, String token) throws Exception {
        SseStream s = token == null ? SseStream.open(TestHubs.url(hub, query))
                : SseStream.open(TestHubs.url(hub, query), "Authorization", "Bearer " + token);
        assertThat(s.status).isEqualTo(200);
        return s;
    }

    @Test
    void aTopicSelectorsStartAndEndArePublishedInThePreOneShapeForOnmessage() throws Exception {
        String selector = "https://example.com/" + UUID.randomUUID() + "/books/{id}";
        String token = Tokens.mint().legacy(List.of(), List.of(selector), Map.of("user", "kevin")).sign();
        try (SseStream watcher = preOneWatcher()) {
            SseStream s = subscribe(param("topic", selector), token);
            SseEvent start = watcher.next(WAIT);
            assertThat(start.type()).as("no event type: onmessage gets it").isEqualTo(SseEvent.DEFAULT_TYPE);
            assertThat(start.id()).startsWith("urn:uuid:");
            JsonNode doc = json(start.data());
            assertThat(doc.get("@context").asText()).as("the pre-1.0 JSON-LD context")
                    .isEqualTo("https://mercure.rocks/");
            assertThat(doc.fieldNames()).toIterable().as("the pre-1.0 members, in their order")
                    .containsExactly("@context", "id", "type", "subscriber", "topic", "active", "payload");
            String subscriber = doc.get("subscriber").asText();
            assertThat(subscriber).matches("urn:uuid:[0-9a-f-]{36}");
            assertThat(doc.get("id").asText()).isEqualTo(NAMESPACE + "/" + SubscriptionsApi.expand(selector) + "/"
                    + SubscriptionsApi.expand(subscriber));
            assertThat(doc.get("type").asText()).isEqualTo("Subscription");
            assertThat(doc.get("topic").asText()).isEqualTo(selector);
            assertThat(doc.get("active").asBoolean()).isTrue();
            assertThat(doc.get("payload").get("user").asText()).as("the mercure claim's payload").isEqualTo("kevin");
            assertThat(doc.has("match")).isFalse();

            s.close();
            SseEvent end = watcher.next(WAIT);
            assertThat(end.type()).isEqualTo(SseEvent.DEFAULT_TYPE);
            JsonNode ended = json(end.data());
            assertThat(ended.get("@context").asText()).isEqualTo("https://mercure.rocks/");
            assertThat(ended.get("id").asText()).isEqualTo(doc.get("id").asText());
            assertThat(ended.get("active").asBoolean()).isFalse();
            assertThat(ended.get("payload").get("user").asText()).isEqualTo("kevin");
        }
    }

    @Test
    void aStreamMixingBothFormsGetsOneEventOfEachShapeAndOnlyThe10OneIsListed() throws Exception {
        String base = "https://example.com/" + UUID.randomUUID() + "/";
        String watcherToken = SubscriptionsApi.watcherToken();
        try (SseStream preOne = preOneWatcher();
             SseStream v1 = SseStream.open(TestHubs.url(hub, param("match_urlpattern", NAMESPACE + "/exact/*")),
                     "Authorization", "Bearer " + watcherToken);
             SseStream s = subscribe(param("topic", base + "old") + "&" + param("match", base + "new"), null)) {
            JsonNode old = json(preOne.next(WAIT).data());
            SseEvent neu = v1.next(WAIT);
            assertThat(neu.type()).isEqualTo("mercure");
            JsonNode doc = json(neu.data());
            assertThat(doc.get("match").asText()).isEqualTo(base + "new");
            assertThat(old.get("topic").asText()).isEqualTo(base + "old");
            assertThat(old.get("subscriber").asText()).as("one subscriber, whatever the form of its matchers")
                    .isEqualTo(doc.get("subscriber").asText());
            assertThat(preOne.poll(Duration.ofMillis(300))).as("the 1.0 subscription has no pre-1.0 event").isNull();

            HttpResponse<String> listing = get(hub, NAMESPACE, watcherToken);
            assertThat(listing.statusCode()).isEqualTo(200);
            List<String> listed = json(listing.body()).get("subscriptions").findValuesAsText("id");
            assertThat(listed).contains(doc.get("id").asText())
                    .noneMatch(id -> id.contains(SubscriptionsApi.expand(base + "old")));
        }
    }

    @Test
    void thePreOneListingPathsAreNotFoundNotAnEmptyOneZeroListing() throws Exception {
        String selector = "https://example.com/" + UUID.randomUUID() + "/books/{id}";
        String preOneToken = Tokens.mint().legacy(List.of(), List.of(PRE_ONE_TEMPLATE), null).sign();
        try (SseStream watcher = preOneWatcher();
             SseStream s = subscribe(param("topic", selector), null)) {
            String subscriber = json(watcher.next(WAIT).data()).get("subscriber").asText();
            String one = NAMESPACE + "/" + SubscriptionsApi.expand(selector) + "/" + SubscriptionsApi.expand(subscriber);
            // {topic}/{subscriber} has the shape of {match_type}/{match}: an unknown matcher type, not a collection
            for (String token : List.of(preOneToken, SubscriptionsApi.watcherToken())) {
                HttpResponse<String> r = get(hub, one, token);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
                assertThat(r.body()).contains("unknown matcher type \"" + selector + "\"; expected: exact or urlpattern")
                        .contains("the pre-1.0 subscriptions listing ({topic}[/{subscriber}]) is not served");
            }
            assertThat(get(hub, NAMESPACE + "/" + SubscriptionsApi.expand(selector), preOneToken).statusCode())
                    .isEqualTo(404);
        }
    }
}
