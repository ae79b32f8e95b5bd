package dev.herald.hub;

import static dev.herald.hub.test.Publish.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publish and subscribe over real sockets (Mercure §"Subscription", §"Publication"). */
class PublishSubscribeTest {

    static Hub hub;
    static String token;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().heartbeat(Duration.ofMillis(300)).build().start();
        token = TestHubs.publisherToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void streamHasTheEventStreamHeaders() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q("https://example.com/headers")))) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.headers.firstValue("content-type")).hasValue("text/event-stream");
            assertThat(s.headers.firstValue("cache-control")).hasValue("no-cache");
            assertThat(s.headers.firstValue("x-accel-buffering")).hasValue("no");
        }
    }

    @Test
    void subscriberReceivesMultiLineUpdateWithIdAndType() throws Exception {
        String topic = "https://example.com/books/1";
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(topic)))) {
            HttpResponse<String> r = Publish.post(hub.url(), token,
                    form("topic", topic, "data", "line one\nline two\r\nline three", "id", "book-1-v2", "type", "bookUpdated",
                            "retry", "2500"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
            assertThat(r.body()).isEqualTo("book-1-v2");
            SseEvent e = s.next();
            assertThat(e.type()).isEqualTo("bookUpdated");
            assertThat(e.data()).isEqualTo("line one\nline two\nline three");
            assertThat(e.id()).isEqualTo("book-1-v2");
        }
    }

    @Test
    void generatedIdIsAUrnUuidAndIsTheEventId() throws Exception {
        String topic = "https://example.com/generated";
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(topic)))) {
            String id = Publish.ok(hub.url(), token, "topic", topic, "data", "x");
            assertThat(id).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(s.next().id()).isEqualTo(id);
        }
    }

    @Test
    void exactMatcherSelectsOnlyItsTopic() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match_exact=" + q("https://example.com/a")))) {
            Publish.ok(hub.url(), token, "topic", "https://example.com/b", "data", "not for you");
            Publish.ok(hub.url(), token, "topic", "https://example.com/a", "data", "for you");
            assertThat(s.next().data()).isEqualTo("for you");
            assertThat(s.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void urlPatternMatcherSelectsMatchingTopics() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match_urlpattern=" + q("https://example.com/orders/:id")))) {
            Publish.ok(hub.url(), token, "topic", "https://example.com/orders/7/items", "data", "no");
            Publish.ok(hub.url(), token, "topic", "https://example.com/customers/7", "data", "no");
            Publish.ok(hub.url(), token, "topic", "https://example.com/orders/42", "data", "yes");
            assertThat(s.next().data()).isEqualTo("yes");
            assertThat(s.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void relativeUrlPatternIsResolvedAgainstTheHubUrl() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match_urlpattern=" + q("/notes/:id")))) {
            Publish.ok(hub.url(), token, "topic", "https://hub.test/notes/5", "data", "relative");
            assertThat(s.next().data()).isEqualTo("relative");
        }
    }

    @Test
    void wildcardSelectsEveryTopic() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=*"))) {
            Publish.ok(hub.url(), token, "topic", "urn:anything:" + System.nanoTime(), "data", "all");
            assertThat(s.next().data()).isEqualTo("all");
        }
    }

    @Test
    void alternateTopicSelectsTheUpdateAndItIsDeliveredOnce() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub,
                "match=" + q("https://example.com/alt") + "&match_urlpattern=" + q("https://example.com/canon/:x")))) {
            Publish.ok(hub.url(), token, "topic", "https://example.com/canon/1", "topic", "https://example.com/alt",
                    "data", "once");
            Publish.ok(hub.url(), token, "topic", "https://example.com/alt", "data", "second");
            assertThat(s.next().data()).isEqualTo("once");
            assertThat(s.next().data()).isEqualTo("second");
        }
    }

    @Test
    void privateUpdateIsWithheldFromAnonymousButReachesAnAuthorizedSubscriber() throws Exception {
        String topic = "https://example.com/users/42/inbox";
        String subToken = Tokens.subscriber(TestHubs.AUDIENCE, topic);
        try (SseStream anonymous = SseStream.open(TestHubs.url(hub, "match=" + q(topic)));
             SseStream authorized = SseStream.open(TestHubs.url(hub, "match=" + q(topic)),
                     "Authorization", "Bearer " + subToken)) {
            Publish.ok(hub.url(), token, "topic", topic, "data", "secret", "private", "on");
            Publish.ok(hub.url(), token, "topic", topic, "data", "public");
            assertThat(authorized.next().data()).isEqualTo("secret");
            assertThat(authorized.next().data()).isEqualTo("public");
            assertThat(anonymous.next().data()).isEqualTo("public");
        }
    }

    @Test
    void privateUpdateReachesASubscriberGrantedOnlyAnAlternateTopic() throws Exception {
        String subToken = Tokens.subscriber(TestHubs.AUDIENCE, "urlpattern:https://example.com/users/42/*");
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match_urlpattern=" + q("https://example.com/docs/:id")),
                "Authorization", "Bearer " + subToken)) {
            Publish.ok(hub.url(), token, "topic", "https://example.com/docs/2", "data", "not granted", "private", "");
            Publish.ok(hub.url(), token, "topic", "https://example.com/docs/1", "topic",
                    "https://example.com/users/42/docs/1", "data", "granted by alternate", "private", "on");
            assertThat(s.next().data()).isEqualTo("granted by alternate");
        }
    }

    @Test
    void idleStreamGetsKeepAliveComments() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q("https://example.com/idle")))) {
            assertThat(s.nextComment(Duration.ofSeconds(3))).isEmpty();
        }
    }

    @Test
    void inProcessPublishReachesHttpSubscribers() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q("https://example.com/embedded")))) {
            String id = hub.publish(Update.builder("https://example.com/embedded").data("from java").type("note").build());
            SseEvent e = s.next();
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.data()).isEqualTo("from java");
            assertThat(e.type()).isEqualTo("note");
        }
    }

    @Test
    void queryMethodCarriesMatchersInTheBody() throws Exception {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(hub.url())
                .method("QUERY", java.net.http.HttpRequest.BodyPublishers.ofString("match=" + q("https://example.com/query")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .build();
        try (SseStream s = SseStream.open(req)) {
            assertThat(s.status).isEqualTo(200);
            Publish.ok(hub.url(), token, "topic", "https://example.com/query", "data", "via QUERY");
            assertThat(s.next().data()).isEqualTo("via QUERY");
        }
    }
}
