package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --compat=0.x} (the default) the pre-1.0 forms are refused with a reason the client
 * can act on, or — where Mercure 1.0 makes them ordinary unknown parameters or ambient cookies —
 * ignored, never half-honoured.
 */
class CompatOffTest {

    static final Duration QUIET = Duration.ofMillis(300);
    static final String TOPIC = "https://example.com/" + UUID.randomUUID();
    static Hub hub;
    static Hub strict;

    @BeforeAll
    static void start() {
        hub = TestHubs.start();
        strict = TestHubs.builder().anonymous(false).build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        strict.close();
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String legacy() {
        return Tokens.mint().legacy(List.of("*"), List.of("*"), null).sign();
    }

    @Test
    void aTopicSelectorIsRefusedWithAPointerToTheOneZeroParameters() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "topic=" + q(TOPIC + "/{id}")))) {
            assertThat(s.status).isEqualTo(400);
            assertThat(s.errorBody).contains("the pre-1.0 topic parameter is accepted only by a hub in 0.x compatibility"
                    + " mode (--compat=0.x): use match=TOPIC or match_urlpattern=PATTERN");
        }
    }

    @Test
    void aPreOneTokenIsAnInvalidToken() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=*"), "Authorization", "Bearer " + legacy())) {
            assertThat(s.status).isEqualTo(401);
            assertThat(s.headers.firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        }
        assertThat(Publish.post(hub.url(), legacy(), Publish.form("topic", TOPIC, "data", "x")).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenInTheUrlIsRefusedWithItsReasonNotTakenForAnonymous() throws Exception {
        String token = legacy();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=*&authorization=" + token))) {
            assertThat(s.status).isEqualTo(400);
            assertThat(s.headers.firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_request\"");
            assertThat(s.errorBody).contains("accepted only by a hub in pre-1.0 compatibility mode (--compat=0.x)")
                    .doesNotContain(token);
        }
        HttpResponse<String> r = Publish.post(URI.create(hub.url() + "?authorization=" + token), null,
                Publish.form("topic", TOPIC, "data", "x"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("--compat=0.x").doesNotContain(token);
    }

    @Test
    void thePreOneCookieIsIgnoredLikeAnyUnrelatedCookie() throws Exception {
        String token = Tokens.subscriber(TestHubs.AUDIENCE, "*"); // a valid 1.0 token, in the old cookie
        try (SseStream s = SseStream.open(TestHubs.url(strict, "match=*"), "Cookie", "mercureAuthorization=" + token)) {
            assertThat(s.status).isEqualTo(401); // no token presented
            assertThat(s.headers.firstValue("www-authenticate")).hasValueSatisfying(
                    v -> assertThat(v).doesNotContain("error="));
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC + "/cookie")),
                "Cookie", "mercureAuthorization=" + token)) {
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", TOPIC + "/cookie", "data", "secret", "private", "on");
            assertThat(s.poll(QUIET)).isNull(); // anonymous: no private update
        }
    }

    @Test
    void lastEventIDIsAnUnknownParameterAndNoPreOneResponseHeaderIsSent() throws Exception {
        String topic = TOPIC + "/feed";
        String first = Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "1");
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", topic, "data", "2");
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(topic) + "&lastEventID=" + q(first)))) {
            assertThat(s.status).isEqualTo(200);
            assertThat(s.poll(QUIET)).isNull(); // no replay
            assertThat(s.headers.firstValue("mercure-last-event-id")).isEmpty();
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(topic) + "&last_event_id=" + q(first)))) {
            assertThat(s.next().data()).isEqualTo("2");
            assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue(first);
            assertThat(s.headers.firstValue("last-event-id")).isEmpty();
        }
    }
}
