package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Private updates (Mercure §"Subscribers", §"Authorization on Event Replay"): delivered only to
 * subscribers whose token grants {@code subscribe} on one of their topics, live and in replay;
 * routing matchers never widen that.
 */
class PrivateUpdatesTest {

    static final Duration QUIET = Duration.ofMillis(300);
    static Hub hub;
    static String publisher;
    String base;

    @BeforeAll
    static void start() {
        hub = TestHubs.start();
        publisher = TestHubs.publisherToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void uniqueTopics() {
        base = "https://example.com/" + UUID.randomUUID() + "/";
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    SseStream subscribe(String token, String extraQuery) throws Exception {
        String query = "match_urlpattern=" + q(base + "books/:id") + extraQuery;
        return token == null ? SseStream.open(TestHubs.url(hub, query))
                : SseStream.open(TestHubs.url(hub, query), "Authorization", "Bearer " + token);
    }

    @Test
    void privateUpdateReachesOnlySubscribersWhoseTokenGrantsItsTopic() throws Exception {
        try (SseStream granted = subscribe(Tokens.subscriber(TestHubs.AUDIENCE, base + "books/1"), "");
             SseStream other = subscribe(Tokens.subscriber(TestHubs.AUDIENCE, base + "books/7"), "");
             SseStream anonymous = subscribe(null, "");
             SseStream publishToken = subscribe(Tokens.publisher(TestHubs.AUDIENCE, "*"), "")) {
            Publish.ok(hub.url(), publisher, "topic", base + "books/1", "data", "secret", "private", "on");
            Publish.ok(hub.url(), publisher, "topic", base + "books/2", "data", "public");
            assertThat(granted.next().data()).isEqualTo("secret");
            assertThat(granted.next().data()).isEqualTo("public");
            for (SseStream s : new SseStream[] {other, anonymous, publishToken}) {
                assertThat(s.next().data()).isEqualTo("public"); // the private one was skipped, not delayed
                assertThat(s.poll(QUIET)).isNull();
            }
        }
    }

    @Test
    void alternateTopicGrantDeliversThePrivateUpdate() throws Exception {
        String token = Tokens.subscriber(TestHubs.AUDIENCE, "urlpattern:" + base + "users/42/*");
        try (SseStream s = subscribe(token, "")) {
            Publish.ok(hub.url(), publisher, "topic", base + "books/1", "topic", base + "users/42/books/1",
                    "data", "for user 42", "private", "on");
            Publish.ok(hub.url(), publisher, "topic", base + "books/2", "topic", base + "users/43/books/2",
                    "data", "for user 43", "private", "on");
            assertThat(s.next().data()).isEqualTo("for user 42");
            assertThat(s.poll(QUIET)).isNull();
        }
    }

    @Test
    void replayAppliesTheSameAuthorizationAsLiveDelivery() throws Exception {
        String before = Publish.ok(hub.url(), publisher, "topic", base + "books/0", "data", "before");
        Publish.ok(hub.url(), publisher, "topic", base + "books/1", "data", "secret 1", "private", "on");
        Publish.ok(hub.url(), publisher, "topic", base + "books/2", "data", "secret 2", "private", "on");
        Publish.ok(hub.url(), publisher, "topic", base + "books/3", "data", "public 3");
        try (SseStream granted = subscribe(Tokens.subscriber(TestHubs.AUDIENCE, base + "books/1"), "&last_event_id=" + q(before));
             SseStream anonymous = subscribe(null, "&last_event_id=" + q(before))) {
            assertThat(granted.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("secret 1", "public 3");
            assertThat(anonymous.next().data()).isEqualTo("public 3");
            assertThat(granted.poll(QUIET)).isNull();
            assertThat(anonymous.poll(QUIET)).isNull();
        }
    }

    @Test
    void subscriberStreamEndsAtTokenExpiryWithAnEventAndResumesWithAFreshToken() throws Exception {
        String shortLived = Tokens.mint().subscribe(base + "books/1").expiresIn(Duration.ofSeconds(2)).sign();
        String firstId;
        try (SseStream s = subscribe(shortLived, "")) {
            assertThat(s.status).isEqualTo(200);
            firstId = Publish.ok(hub.url(), publisher, "topic", base + "books/1", "data", "one", "private", "on");
            assertThat(s.next().id()).isEqualTo(firstId);
            SseEvent expired = s.next(Duration.ofSeconds(5));
            assertThat(expired.type()).isEqualTo("herald-token-expired");
            assertThat(expired.data()).matches("\\{\"exp\":\\d+}");
            assertThat(expired.id()).as("keeps the client's last event ID").isEqualTo(firstId);
            s.awaitEnd(Duration.ofSeconds(2));
        }
        Publish.ok(hub.url(), publisher, "topic", base + "books/1", "data", "while away", "private", "on");
        String fresh = Tokens.mint().subscribe(base + "books/1").sign();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match_urlpattern=" + q(base + "books/:id")),
                "Authorization", "Bearer " + fresh, "Last-Event-ID", firstId)) {
            assertThat(s.next().data()).isEqualTo("while away");
        }
    }
}
