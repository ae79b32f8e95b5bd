package dev.herald.hub;

import static dev.herald.hub.test.Publish.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal of the hub endpoint answers a 4xx with a reason (Mercure §"Publication", §"Authorization"). */
class ProtocolErrorsTest {

    static Hub hub;
    static String token;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().maxDataBytes(1024).build().start();
        token = TestHubs.publisherToken();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static Stream<Arguments> badPublishes() {
        return Stream.of(
                Arguments.of("no topic", form("data", "x"), 400, "topic"),
                Arguments.of("type mercure is reserved", form("topic", "t", "type", "mercure"), 400, "type"),
                Arguments.of("type with LF", form("topic", "t", "type", "a\nb"), 400, "type"),
                Arguments.of("type with CR", form("topic", "t", "type", "a\rb"), 400, "type"),
                Arguments.of("retry not digits", form("topic", "t", "retry", "1e3"), 400, "retry"),
                Arguments.of("retry negative", form("topic", "t", "retry", "-1"), 400, "retry"),
                Arguments.of("id starting with #", form("topic", "t", "id", "#1"), 400, "id"),
                Arguments.of("id earliest is reserved", form("topic", "t", "id", "earliest"), 400, "id"),
                Arguments.of("id with control character", form("topic", "t", "id", "a\u0001b"), 400, "id"),
                Arguments.of("topic * is reserved", form("topic", "*"), 400, "topic"),
                Arguments.of("topic in the hub namespace", form("topic", "/.well-known/mercure/subscriptions/x"), 400, "topic"),
                Arguments.of("absolute topic in the hub namespace",
                        form("topic", "https://other.example/.well-known/mercure/x"), 400, "topic"),
                Arguments.of("encoded hub namespace", form("topic", "/.well-known/%6Dercure/x"), 400, "topic"),
                Arguments.of("topic with a format character", form("topic", "https://example.com/a\u202Eb"), 400, "topic"),
                Arguments.of("data over the limit", form("topic", "t", "data", "x".repeat(1025)), 413, "data"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPublishes")
    void badPublishIsRefusedWithAReason(String name, String body, int status, String reasonMentions) throws Exception {
        HttpResponse<String> r = Publish.post(hub.url(), token, body);
        assertThat(r.statusCode()).as(name).isEqualTo(status);
        assertThat(r.body()).as(name).containsIgnoringCase(reasonMentions);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void publishWithoutTokenIs401WithAChallengeAndNoErrorCode() throws Exception {
        HttpResponse<String> r = Publish.post(hub.url(), null, form("topic", "t", "data", "x"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> {
            assertThat(v).startsWith("Bearer");
            assertThat(v).doesNotContain("error=");
        });
    }

    @Test
    void publishWithAForgedTokenIs401InvalidToken() throws Exception {
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        HttpResponse<String> r = Publish.post(hub.url(), forged, form("topic", "t", "data", "x"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("error=\"invalid_token\""));
        assertThat(r.body()).doesNotContain(forged);
    }

    @Test
    void publishOutsideTheGrantedTopicsIs403InsufficientScope() throws Exception {
        String narrow = Tokens.publisher(TestHubs.AUDIENCE, "https://example.com/mine");
        HttpResponse<String> r = Publish.post(hub.url(), narrow,
                form("topic", "https://example.com/mine", "topic", "https://example.com/not-mine", "data", "x"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("error=\"insufficient_scope\""));
    }

    @Test
    void publishWithATokenForAnotherAudienceIs401() throws Exception {
        String other = Tokens.publisher("https://other-hub.test/.well-known/mercure", "*");
        assertThat(Publish.post(hub.url(), other, form("topic", "t")).statusCode()).isEqualTo(401);
    }

    @Test
    void publishThatIsNotAFormIs415() throws Exception {
        HttpResponse<String> r = Publish.post(hub.url(), token, "{\"topic\":\"t\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("application/x-www-form-urlencoded");
    }

    @Test
    void publishWithInvalidUtf8Is400() throws Exception {
        byte[] body = "topic=t&data=%FF%FE".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = Publish.post(hub.url(), token, body, "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).containsIgnoringCase("utf-8");
    }

    @Test
    void tooManyTopicFieldsIs413() throws Exception {
        StringBuilder b = new StringBuilder("data=x");
        for (int i = 0; i <= HubConfig.DEFAULT_MAX_TOPICS_PER_UPDATE; i++) {
            b.append("&topic=t").append(i);
        }
        assertThat(Publish.post(hub.url(), token, b.toString()).statusCode()).isEqualTo(413);
    }

    static List<String> badSubscriptions() {
        return List.of(
                "match_regex=a",              // unknown matcher type in the reserved namespace
                "matches=a",                  // anything starting with "match" is reserved
                "MATCH=a",                    // reserved case-insensitively
                "match=a%00b",                // control character
                "match=a%E2%80%AEb",          // U+202E, a format character
                "match=%FF",                  // not UTF-8
                "match_urlpattern=https%3A%2F%2Fexample.com%2F(",  // malformed pattern
                "");                          // no matcher at all
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("badSubscriptions")
    void badSubscriptionIs400WithAReason(String query) throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, query))) {
            assertThat(s.status).isEqualTo(400);
            assertThat(s.errorBody).isNotBlank().doesNotContain("Exception");
        }
    }

    @Test
    void tooManyMatchersIs400() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= HubConfig.DEFAULT_MAX_MATCHERS; i++) {
            b.append(i == 0 ? "" : "&").append("match=t").append(i);
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, b.toString()))) {
            assertThat(s.status).isEqualTo(400);
            assertThat(s.errorBody).containsIgnoringCase("matchers");
        }
    }

    @Test
    void subscriptionWithAnInvalidTokenIs401EvenWhenAnonymousIsAllowed() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer not.a.jwt")) {
            assertThat(s.status).isEqualTo(401);
            assertThat(s.headers.firstValue("www-authenticate")).hasValueSatisfying(
                    v -> assertThat(v).contains("invalid_token"));
        }
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        HttpResponse<String> notFound = CLIENT.send(HttpRequest.newBuilder(URI.create(hub.url().resolve("/nope").toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notFound.statusCode()).isEqualTo(404);
        HttpResponse<String> put = CLIENT.send(HttpRequest.newBuilder(hub.url())
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("allow")).hasValueSatisfying(v -> assertThat(v).contains("GET").contains("POST"));
    }

    @Test
    void healthEndpointsAnswer() throws Exception {
        for (String path : List.of("/healthz", "/readyz")) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(hub.url().resolve(path)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
    }
}
