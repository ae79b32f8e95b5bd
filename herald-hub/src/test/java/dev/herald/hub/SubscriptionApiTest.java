package dev.herald.hub;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.cursor;
import static dev.herald.hub.test.SubscriptionsApi.expand;
import static dev.herald.hub.test.SubscriptionsApi.get;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mercure §"Subscription API": the collection, the per-matcher collection and the single
 * subscription, their headers (the {@code Link} cursor, {@code ETag}, {@code Cache-Control}), 404 for a
 * subscription that is not active, and authorization: a {@code subscribe} grant matching the request
 * path, never anonymous access.
 */
class SubscriptionApiTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static Hub hub;
    static String token;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().subscriptions(true).corsOrigins(List.of("https://app.example.com")).build().start();
        token = SubscriptionsApi.watcherToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** Subscribes to {@code topic} and returns the stream once the API lists it, with its subscriber id. */
    static Object[] viewer(String topic, String... headers) throws Exception {
        String matcherPath = NAMESPACE + "/exact/" + expand(topic);
        Set<String> before = subscribers(get(hub, matcherPath, token));
        SseStream s = SseStream.open(TestHubs.url(hub, param("match", topic)), headers);
        assertThat(s.status).isEqualTo(200);
        String[] subscriber = new String[1];
        await().atMost(WAIT).until(() -> {
            Set<String> now = subscribers(get(hub, matcherPath, token));
            now.removeAll(before);
            subscriber[0] = now.isEmpty() ? null : now.iterator().next();
            return subscriber[0] != null;
        });
        return new Object[] {s, subscriber[0]};
    }

    static Set<String> subscribers(HttpResponse<String> collection) {
        assertThat(collection.statusCode()).as(collection.body()).isEqualTo(200);
        Set<String> out = new HashSet<>();
        for (JsonNode doc : json(collection.body()).get("subscriptions")) {
            out.add(doc.get("subscriber").asText());
        }
        return out;
    }

    @Test
    void theThreeDocumentsCarryTheCursorTheirIdsAndTheSubscriptionsDocuments() throws Exception {
        String topic = "https://example.com/api/doc";
        String payloadToken = Tokens.mint().subscribe(topic).payload(Map.of("name", "Grace")).sign();
        Object[] v = viewer(topic, "Authorization", "Bearer " + payloadToken);
        String subscriber = (String) v[1];
        String matcherPath = NAMESPACE + "/exact/" + expand(topic);
        String onePath = matcherPath + "/" + expand(subscriber);
        try (SseStream s = (SseStream) v[0]) {
            String last = Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/api/other");

            HttpResponse<String> one = get(hub, onePath, token);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(one.headers().firstValue("link")).hasValue("<" + TestHubs.PUBLIC_URL + ">; rel=\"mercure\"; "
                    + "last-event-id=\"" + last + "\"; type=\"mercure\"; content-type=\"application/json\"");
            assertThat(one.headers().firstValue("etag")).hasValue("\"" + last + "\"");
            assertThat(one.headers().firstValue("cache-control").orElseThrow()).contains("must-revalidate");
            JsonNode doc = json(one.body());
            assertThat(doc.get("id").asText()).isEqualTo(onePath);
            assertThat(doc.get("type").asText()).isEqualTo("subscription");
            assertThat(doc.get("match_type").asText()).isEqualTo("exact");
            assertThat(doc.get("match").asText()).isEqualTo(topic);
            assertThat(doc.get("subscriber").asText()).isEqualTo(subscriber);
            assertThat(doc.get("active").asBoolean()).isTrue();
            assertThat(doc.get("payload").toString()).isEqualTo("{\"name\":\"Grace\"}");

            HttpResponse<String> matcher = get(hub, matcherPath, token);
            JsonNode m = json(matcher.body());
            assertThat(matcher.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(cursor(matcher)).isEqualTo(last);
            assertThat(m.get("id").asText()).isEqualTo(matcherPath);
            assertThat(m.get("type").asText()).isEqualTo("subscriptions");
            assertThat(m.get("subscriptions")).hasSize(1);
            assertThat(m.get("subscriptions").get(0)).isEqualTo(doc);
            assertThat(m.has("truncated")).isFalse();

            HttpResponse<String> all = get(hub, NAMESPACE, token);
            JsonNode a = json(all.body());
            assertThat(cursor(all)).isEqualTo(last);
            assertThat(a.get("id").asText()).isEqualTo(NAMESPACE);
            assertThat(a.get("type").asText()).isEqualTo("subscriptions");
            assertThat(a.get("subscriptions")).contains(doc);
        }
        await().atMost(WAIT).until(() -> get(hub, onePath, token).statusCode() == 404);
        assertThat(subscribers(get(hub, matcherPath, token))).doesNotContain(subscriber);
    }

    @Test
    void unknownSubscriptionsAndPathsAreNotFoundAndMalformedEncodingIsABadRequest() throws Exception {
        String uuid = "urn%3Auuid%3A00000000-0000-4000-8000-000000000000";
        assertThat(get(hub, NAMESPACE + "/exact/https%3A%2F%2Fexample.com%2Fnobody/" + uuid, token).statusCode())
                .isEqualTo(404);
        assertThat(get(hub, NAMESPACE + "/exact", token).statusCode()).isEqualTo(404);
        assertThat(get(hub, NAMESPACE + "/exact/a/b/c", token).statusCode()).isEqualTo(404);
        // a matcher type no subscription can have names no collection, rather than an empty one
        for (String unknown : List.of("/regex/a", "/EXACT/a", "/_topic_selector/a", "/regex/a/" + uuid)) {
            HttpResponse<String> r = get(hub, NAMESPACE + unknown, token);
            assertThat(r.statusCode()).as(unknown).isEqualTo(404);
            assertThat(r.body()).as(unknown).contains("(unknown matcher type \"")
                    .contains("expected: exact or urlpattern)").doesNotContain("pre-1.0");
        }
        assertThat(get(hub, NAMESPACE + "/exact/%E0%A4/" + uuid, token).statusCode()).isEqualTo(400);
        RawHttp.Response bad = RawHttp.exchange(hub.address(), "GET " + NAMESPACE + "/exact/%zz HTTP/1.1\r\n"
                + "Host: hub.test\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n", WAIT);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("percent-encoding");
        HttpResponse<String> empty = get(hub, NAMESPACE + "/urlpattern/https%3A%2F%2Fexample.com%2Fnobody%2F*", token);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(json(empty.body()).get("subscriptions")).isEmpty();
    }

    @Test
    void aTokenIsRequiredEvenWhenAnonymousSubscribersAreAccepted() {
        HttpResponse<String> r = get(hub, NAMESPACE, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate").orElseThrow()).startsWith("Bearer")
                .contains("resource_metadata=").doesNotContain("error=");
        assertThat(get(hub, NAMESPACE, "not-a-token").statusCode()).isEqualTo(401);
    }

    @Test
    void aSubscribeGrantMustMatchTheRequestedPath() throws Exception {
        String topic = "https://example.com/api/auth";
        Object[] v = viewer(topic);
        String matcherPath = NAMESPACE + "/exact/" + expand(topic);
        String onePath = matcherPath + "/" + expand((String) v[1]);
        try (SseStream s = (SseStream) v[0]) {
            String unrelated = Tokens.mint().subscribe("urlpattern:https://example.com/*", topic).sign();
            String publisher = Tokens.mint().publish("*").sign();
            String exactOne = Tokens.mint().subscribe(onePath).sign();
            String namespaceWithoutCollection = Tokens.mint().subscribe("urlpattern:" + NAMESPACE + "/*").sign();
            String absolute = Tokens.mint().subscribe("urlpattern:https://hub.test" + NAMESPACE + "{/*}?").sign();
            String wildcard = Tokens.mint().subscribe("*").sign();

            for (String path : List.of(NAMESPACE, matcherPath, onePath)) {
                HttpResponse<String> r = get(hub, path, unrelated);
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(r.headers().firstValue("www-authenticate").orElseThrow())
                        .contains("error=\"insufficient_scope\"");
                assertThat(get(hub, path, publisher).statusCode()).as("publish grants nothing here").isEqualTo(403);
                assertThat(get(hub, path, wildcard).statusCode()).as("* grants every path").isEqualTo(200);
                assertThat(get(hub, path, absolute).statusCode()).as("absolute pattern over the namespace")
                        .isEqualTo(200);
            }
            assertThat(get(hub, onePath, exactOne).statusCode()).isEqualTo(200);
            assertThat(get(hub, matcherPath, exactOne).statusCode()).isEqualTo(403);
            assertThat(get(hub, NAMESPACE, exactOne).statusCode()).isEqualTo(403);
            assertThat(get(hub, matcherPath, namespaceWithoutCollection).statusCode()).isEqualTo(200);
            assertThat(get(hub, onePath, namespaceWithoutCollection).statusCode()).isEqualTo(200);
            assertThat(get(hub, NAMESPACE, namespaceWithoutCollection).statusCode())
                    .as("the collection's own URL is not below the namespace").isEqualTo(403);
            String oneMatcher = Tokens.mint().subscribe("urlpattern:" + matcherPath + "{/*}?").sign();
            assertThat(get(hub, matcherPath, oneMatcher).statusCode()).isEqualTo(200);
            assertThat(get(hub, onePath, oneMatcher).statusCode()).isEqualTo(200);
            assertThat(get(hub, NAMESPACE, oneMatcher).statusCode()).isEqualTo(403);
            assertThat(get(hub, NAMESPACE + "/exact/" + expand(topic + "/2"), oneMatcher).statusCode()).isEqualTo(403);
            // the canonical spelling is authorized, whatever the client sent
            String respelled = matcherPath.replace("%3A", ":") + "/" + ((String) v[1]);
            assertThat(get(hub, respelled, exactOne).statusCode()).isEqualTo(200);
        }
    }

    static void publishSomething() throws Exception {
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/api/tick");
    }

    @Test
    void aMatchingIfNoneMatchIsNotModifiedAndHeadHasNoBody() throws Exception {
        publishSomething();
        HttpResponse<String> first = get(hub, NAMESPACE, token);
        String etag = first.headers().firstValue("etag").orElseThrow();
        HttpResponse<String> again = get(hub, NAMESPACE, token, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("etag")).hasValue(etag);
        assertThat(cursor(again)).isEqualTo(cursor(first));
        assertThat(get(hub, NAMESPACE, null, "If-None-Match", etag).statusCode()).as("authorized first").isEqualTo(401);

        HttpResponse<String> head = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + hub.address().getPort() + NAMESPACE))
                .header("Authorization", "Bearer " + token).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length").orElseThrow()).isEqualTo(first.body().length());
        assertThat(cursor(head)).isEqualTo(cursor(first));

        publishSomething();
        assertThat(get(hub, NAMESPACE, token, "If-None-Match", etag).statusCode()).as("a later cursor").isEqualTo(200);
    }

    @Test
    void crossOriginPagesMayReadTheCursorFromTheLinkHeader() throws Exception {
        HttpResponse<String> r = get(hub, NAMESPACE, token, "Origin", "https://app.example.com");
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
        assertThat(r.headers().firstValue("access-control-expose-headers").orElseThrow()).contains("Link");
        try (RawHttp raw = new RawHttp(hub.address())) {
            raw.send("OPTIONS " + NAMESPACE + " HTTP/1.1\r\nHost: hub.test\r\nOrigin: https://app.example.com\r\n"
                    + "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: authorization\r\n\r\n");
            RawHttp.Response preflight = raw.read(WAIT);
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
        }
    }

    @Test
    void aCursorThatIsNotATokenIsQuotedInTheLinkAndEncodedInTheETag() throws Exception {
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/api/odd", "id", "odd \"id\" \\ é");
        HttpResponse<String> r = get(hub, NAMESPACE, token);
        assertThat(cursor(r)).isEqualTo("odd \"id\" \\ é".replace("é", new String("é".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertThat(r.headers().firstValue("etag")).hasValue("\"odd%20%22id%22%20\\%20%C3%A9\"");
    }

    @Test
    void theDocumentedListThenFollowExampleReadsAQuotedCursorBack() throws Exception {
        // docs/hub.md's example, as written there: the cursor regex and the unescaping after it
        Matcher line = Pattern.compile("const cursor = /(.+?)/\\.exec\\(r\\.headers\\.get\\('Link'\\)\\)\\[1\\]"
                + "(?:\\.replace\\(/(.+?)/g, '\\$1'\\))?;").matcher(Files.readString(Path.of("..", "docs", "hub.md")));
        assertThat(line.find()).as("the example's cursor line").isTrue();
        String id = "odd \"id\" \\ of " + java.util.UUID.randomUUID();
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/api/odd", "id", id);
        String link = get(hub, NAMESPACE, token).headers().firstValue("link").orElseThrow();

        // the JavaScript regular expressions read the same in java.util.regex
        Matcher quoted = Pattern.compile(line.group(1)).matcher(link);
        assertThat(quoted.find()).isTrue();
        String cursor = line.group(2) == null ? quoted.group(1) : quoted.group(1).replaceAll(line.group(2), "$1");
        assertThat(cursor).as("what the page passes back as last_event_id").isEqualTo(id);
    }

    @Test
    void aThousandSubscribersAreListedEachUnderItsMatcher() throws Exception {
        int n = 1_000;
        List<RawHttp> connections = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                RawHttp raw = new RawHttp(hub.address());
                raw.send("GET /.well-known/mercure?" + param("match", "https://example.com/crowd/" + (i % 10)) + "&"
                        + param("match_urlpattern", "https://example.com/crowd/" + i + "/*")
                        + " HTTP/1.1\r\nHost: hub.test\r\n\r\n");
                connections.add(raw);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> crowd().size() == 2 * n);
            List<JsonNode> docs = crowd();
            Set<String> subscribers = new HashSet<>();
            Set<String> patterns = new HashSet<>();
            for (JsonNode d : docs) {
                subscribers.add(d.get("subscriber").asText());
                if (d.get("match_type").asText().equals("urlpattern")) {
                    patterns.add(d.get("match").asText());
                }
                assertThat(d.get("id").asText()).isEqualTo(NAMESPACE + "/" + d.get("match_type").asText() + "/"
                        + expand(d.get("match").asText()) + "/" + expand(d.get("subscriber").asText()));
            }
            assertThat(subscribers).hasSize(n);
            assertThat(patterns).hasSize(n);
            HttpResponse<String> tenth = get(hub, NAMESPACE + "/exact/" + expand("https://example.com/crowd/7"), token);
            assertThat(json(tenth.body()).get("subscriptions")).hasSize(n / 10);
        } finally {
            for (RawHttp raw : connections) {
                raw.close();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> crowd().isEmpty());
    }

    /** The listed subscriptions of the thousand-subscriber test. */
    static List<JsonNode> crowd() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode d : json(get(hub, NAMESPACE, token).body()).get("subscriptions")) {
            if (d.get("match").asText().startsWith("https://example.com/crowd/")) {
                out.add(d);
            }
        }
        return out;
    }

    @Test
    void offByDefaultNothingIsPublishedNorServedNorAdvertised() throws Exception {
        try (Hub off = TestHubs.start()) {
            String all = Tokens.mint().subscribe("*").sign();
            try (SseStream watcher = SseStream.open(TestHubs.url(off, "match=*"), "Authorization", "Bearer " + all);
                 SseStream viewer = SseStream.open(TestHubs.url(off, param("match", "https://example.com/off")))) {
                assertThat(viewer.status).isEqualTo(200);
                Publish.ok(off.url(), TestHubs.publisherToken(), "topic", "https://example.com/off/marker", "data", "m");
                SseEvent first = watcher.next(WAIT);
                assertThat(first.data()).as("no subscription event before the marker").isEqualTo("m");
            }
            assertThat(get(off, NAMESPACE, all).statusCode()).isEqualTo(404);
            assertThat(get(off, NAMESPACE + "/exact/x/y", all).statusCode()).isEqualTo(404);
            assertThat(json(get(off, "/.well-known/oauth-protected-resource/.well-known/mercure", null).body())
                    .has("mercure_subscriptions")).isFalse();
        }
        assertThat(json(get(hub, "/.well-known/oauth-protected-resource/.well-known/mercure", null).body())
                .get("mercure_subscriptions").asBoolean()).isTrue();
    }

    @Test
    void afterARestartTheCursorIsTheLastStoredUpdateNotEarliest(@TempDir Path dir) throws Exception {
        String last;
        try (Hub first = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(dir).subscriptions(true).build().start()) {
            assertThat(cursor(get(first, NAMESPACE, token))).isEqualTo("earliest");
            SseStream s = SseStream.open(TestHubs.url(first, param("match", "https://example.com/restart")));
            assertThat(s.status).isEqualTo(200);
            last = Publish.ok(first.url(), TestHubs.publisherToken(), "topic", "https://example.com/restart/x");
            s.close();
            await().atMost(WAIT).until(() -> !cursor(get(first, NAMESPACE, token)).equals(last)); // its end event
        }
        try (Hub second = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(dir).subscriptions(true).build().start()) {
            HttpResponse<String> r = get(second, NAMESPACE, token);
            assertThat(cursor(r)).as("the end event, stored last").isNotEqualTo("earliest").isNotEqualTo(last);
            assertThat(json(r.body()).get("subscriptions")).isEmpty();
            // subscribing from it replays nothing of the connections of the previous run
            try (SseStream watcher = SseStream.open(TestHubs.url(second, param("match_urlpattern", NAMESPACE + "/*")
                    + "&" + param("last_event_id", cursor(r))), "Authorization", "Bearer " + token)) {
                assertThat(watcher.status).isEqualTo(200);
                assertThat(watcher.headers.firstValue("mercure-last-event-id")).hasValue(cursor(r));
                SseEvent own = watcher.next(WAIT); // its own subscription, live
                assertThat(json(own.data()).get("match_type").asText()).isEqualTo("urlpattern");
            }
        }
    }
}
