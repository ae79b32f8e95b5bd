package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.LogCapture;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --compat=0.x} (Mercure appendix "Changes from Pre-Standardization Deployments"): each
 * pre-1.0 form beside its 1.0 twin, on one hub, and the old forms as strictly secured as the new.
 */
class CompatTest {

    static final Duration QUIET = Duration.ofMillis(300);
    static Hub hub;
    static String publisher;
    String base;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().compat(Compat.V0X).corsOrigins(List.of("https://app.test")).build().start();
        publisher = TestHubs.publisherToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @BeforeEach
    void uniqueTopics() {
        base = "https://example.com/" + UUID.randomUUID() + "/";
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A pre-1.0 token of the test issuer: no typ, no aud, the mercure claim. */
    static String legacy(List<String> publish, List<String> subscribe) {
        return Tokens.mint().legacy(publish, subscribe, null).sign();
    }

    SseStream open(String query, String... headers) throws Exception {
        return SseStream.open(TestHubs.url(hub, query), headers);
    }

    String publish(String topic, String data, boolean isPrivate) throws Exception {
        return isPrivate ? Publish.ok(hub.url(), publisher, "topic", topic, "data", data, "private", "on")
                : Publish.ok(hub.url(), publisher, "topic", topic, "data", data);
    }

    @Test
    void aTopicTemplateSelectsWhatTheEquivalentUrlPatternSelects() throws Exception {
        try (SseStream template = open("topic=" + q(base + "books/{id}"));
             SseStream pattern = open("match_urlpattern=" + q(base + "books/:id"))) {
            publish(base + "books/1/reviews", "nested", false);
            publish(base + "books/1", "book", false);
            publish(base + "authors/1", "author", false);

            assertThat(template.next().data()).isEqualTo("book");
            assertThat(pattern.next().data()).isEqualTo("book");
            assertThat(template.poll(QUIET)).isNull();
            assertThat(pattern.poll(QUIET)).isNull();
        }
    }

    @Test
    void plainTopicSelectorsAndTheWildcardWorkBesideMatchAndStar() throws Exception {
        try (SseStream plain = open("topic=" + q(base + "a"));
             SseStream exact = open("match=" + q(base + "a"));
             SseStream both = open("topic=" + q(base + "a") + "&match=" + q(base + "b"));
             SseStream everything = open("topic=*")) {
            publish(base + "a", "a", false);
            publish(base + "b", "b", false);

            assertThat(plain.next().data()).isEqualTo("a");
            assertThat(exact.next().data()).isEqualTo("a");
            assertThat(both.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("a", "b");
            assertThat(everything.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("a", "b");
            assertThat(plain.poll(QUIET)).isNull();
        }
    }

    @Test
    void preOneTokensPublishWithTemplateSelectorsBesideOneZeroTokens() throws Exception {
        String oldPublisher = legacy(List.of(base + "books/{id}"), List.of());
        try (SseStream s = open("match=*")) {
            assertThat(Publish.post(hub.url(), oldPublisher, Publish.form("topic", base + "books/1", "data", "old"))
                    .statusCode()).isEqualTo(200);
            assertThat(Publish.post(hub.url(), publisher, Publish.form("topic", base + "books/2", "data", "new"))
                    .statusCode()).isEqualTo(200);
            assertThat(s.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("old", "new");
        }
        HttpResponse<String> outside = Publish.post(hub.url(), oldPublisher,
                Publish.form("topic", base + "books/1", "topic", base + "authors/1", "data", "x"));
        assertThat(outside.statusCode()).isEqualTo(403); // every topic must be granted, as in 1.0
        assertThat(outside.headers().firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("insufficient_scope"));
    }

    @Test
    void privateUpdatesReachOnlyPreOneSubscribersWhoseSelectorsGrantATopicLiveAndInReplay() throws Exception {
        String kevin = legacy(List.of(), List.of(base + "users/kevin/{+rest}"));
        String alice = legacy(List.of(), List.of(base + "users/alice/{+rest}"));
        String modern = Tokens.subscriber(TestHubs.AUDIENCE, "urlpattern:" + base + "users/kevin/*");
        String topic = base + "users/kevin/books/1";
        String query = "topic=" + q(base + "users/{user}/books/{id}");
        try (SseStream k = open(query, "Authorization", "Bearer " + kevin);
             SseStream a = open(query, "Authorization", "Bearer " + alice);
             SseStream m = open("match_urlpattern=" + q(base + "users/:user/books/:id"), "Authorization",
                     "Bearer " + modern);
             SseStream anonymous = open(query)) {
            publish(topic, "secret", true);
            publish(base + "users/alice/books/1", "public", false);

            assertThat(k.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("secret", "public");
            assertThat(m.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("secret", "public");
            assertThat(a.next().data()).isEqualTo("public");
            assertThat(anonymous.next().data()).isEqualTo("public");
            assertThat(a.poll(QUIET)).isNull();
        }
        // replay re-authorizes against the presented token
        try (SseStream k = open(query + "&lastEventID=earliest", "Authorization", "Bearer " + kevin);
             SseStream a = open(query + "&lastEventID=earliest", "Authorization", "Bearer " + alice)) {
            assertThat(k.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("secret", "public");
            assertThat(a.next().data()).isEqualTo("public");
            assertThat(a.poll(QUIET)).isNull();
        }
    }

    @Test
    void theAuthorizationQueryParameterBesideTheAuthorizationHeader() throws Exception {
        String token = legacy(List.of(base + "{x}"), List.of(base + "{x}"));
        try (LogCapture logs = LogCapture.start();
             SseStream fromUrl = open("topic=" + q(base + "t") + "&authorization=" + token);
             SseStream fromHeader = open("topic=" + q(base + "t"), "Authorization", "Bearer " + token)) {
            HttpResponse<String> r = Publish.post(URI.create(hub.url() + "?authorization=" + token), null,
                    Publish.form("topic", base + "t", "data", "secret", "private", "on"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(fromUrl.next().data()).isEqualTo("secret");
            assertThat(fromHeader.next().data()).isEqualTo("secret");
            try (SseStream refused = open("topic=t&authorization=" + token + "x")) {
                assertThat(refused.status).isEqualTo(401);
            }
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(token));
        }
        // both at once is one presentation too many (RFC 6750 §2)
        try (SseStream twice = open("topic=t&authorization=" + token, "Authorization", "Bearer " + token)) {
            assertThat(twice.status).isEqualTo(400);
        }
    }

    @Test
    void theMercureAuthorizationCookieBesideTheOneZeroCookie() throws Exception {
        String token = legacy(List.of(), List.of(base + "{x}"));
        try (SseStream old = open("topic=" + q(base + "t"), "Cookie", "mercureAuthorization=" + token);
             SseStream modern = open("topic=" + q(base + "t"), "Cookie", "__Secure-mercure_access_token=" + token)) {
            publish(base + "t", "secret", true);
            assertThat(old.next().data()).isEqualTo("secret");
            assertThat(modern.next().data()).isEqualTo("secret");
        }
    }

    @Test
    void lastEventIDBesideLastEventIdAndTheLastEventIdResponseHeaderBesideItsOneZeroName() throws Exception {
        String topic = base + "feed";
        String first = publish(topic, "1", false);
        publish(topic, "2", false);
        try (SseStream old = open("topic=" + q(topic) + "&lastEventID=" + q(first));
             SseStream modern = open("match=" + q(topic) + "&last_event_id=" + q(first))) {
            assertThat(old.next().data()).isEqualTo("2");
            assertThat(modern.next().data()).isEqualTo("2");
            for (SseStream s : List.of(old, modern)) {
                assertThat(s.headers.firstValue("last-event-id")).hasValue(first);
                assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue(first);
            }
        }
        try (SseStream unknown = open("topic=" + q(topic) + "&lastEventID=never-seen")) {
            assertThat(unknown.headers.firstValue("last-event-id")).hasValue("earliest");
        }
        try (SseStream none = open("topic=" + q(topic))) {
            assertThat(none.headers.firstValue("last-event-id")).isEmpty();
        }
    }

    @Test
    void browsersOnAllowedOriginsMayReadThePreOneResponseHeader() throws Exception {
        try (SseStream s = open("topic=x", "Origin", "https://app.test")) {
            assertThat(s.headers.firstValue("access-control-expose-headers"))
                    .hasValue("Mercure-Last-Event-ID, Last-Event-ID");
        }
    }

    @Test
    void preOneTokensAreCheckedAsStrictlyAsOneZeroTokens() throws Exception {
        List<String> all = List.of("*");
        Map<String, String> refused = Map.of(
                "expired", Tokens.mint().legacy(all, all, null).expiresIn(Duration.ofMinutes(-5)).sign(),
                "signed with another key", Tokens.mint().legacy(all, all, null).hmac("another-key-0123456789-abcdefghijklm").sign(),
                "of an untrusted issuer", Tokens.mint().legacy(all, all, null).issuer("https://evil.test").sign(),
                "for another hub", Tokens.mint().legacy(all, all, null).audience("https://other.test/.well-known/mercure").sign(),
                "typed for another purpose", Tokens.mint().legacy(all, all, null).type("dpop+jwt").sign(),
                "without the mercure claim", Tokens.mint().type(null).sign(),
                "without iss, signed with another key", Tokens.mint().legacy(all, all, null).issuer(null)
                        .hmac("another-key-0123456789-abcdefghijklm").sign(),
                "a 1.0 token without iss", Tokens.mint().publish("*").subscribe("*").issuer(null).sign(),
                "a 1.0 token without exp", Tokens.mint().publish("*").subscribe("*").noExpiry().sign());
        for (Map.Entry<String, String> e : refused.entrySet()) {
            try (SseStream s = open("topic=*", "Authorization", "Bearer " + e.getValue())) {
                assertThat(s.status).as(e.getKey()).isEqualTo(401);
                assertThat(s.headers.firstValue("www-authenticate")).as(e.getKey())
                        .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
            }
            assertThat(Publish.post(hub.url(), e.getValue(), Publish.form("topic", "t", "data", "x")).statusCode())
                    .as(e.getKey()).isEqualTo(401);
        }
    }

    @Test
    void preOneTokensMintedWithoutIssNorExpWorkAsWithThePreOneHub() throws Exception {
        // what Symfony's Mercure component and API Platform mint by default (no iss), and the static
        // tokens of older examples (no exp either): the hub's only issuer's, never expiring
        String oldPublisher = Tokens.mint().legacy(List.of("*"), List.of(), null).issuer(null).noExpiry().sign();
        String oldSubscriber = Tokens.mint().legacy(List.of(), List.of(base + "{id}"), null).issuer(null).noExpiry()
                .sign();
        try (SseStream s = open("topic=" + q(base + "{id}"), "Authorization", "Bearer " + oldSubscriber)) {
            assertThat(s.status).isEqualTo(200);
            assertThat(Publish.post(hub.url(), oldPublisher,
                    Publish.form("topic", base + "1", "data", "secret", "private", "on")).statusCode()).isEqualTo(200);
            assertThat(s.next().data()).as("a private update, granted by the token's selector").isEqualTo("secret");
        }
    }
}
