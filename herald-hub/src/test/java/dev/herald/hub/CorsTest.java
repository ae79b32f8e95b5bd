package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CORS (Mercure §"Subscription"): an explicit allowlist, echoed with credentials; {@code *} only
 * without credentials; an origin outside the list is never reflected.
 */
class CorsTest {

    static final String APP = "https://app.test";
    static final String EVIL = "https://evil.test";
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static HttpResponse<String> preflight(Hub hub, String origin) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(hub.url())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void allowedOriginIsEchoedWithCredentialsOnStreamsErrorsAndPublishes() throws Exception {
        try (Hub hub = TestHubs.builder().corsOrigins(List.of(APP)).build().start()) {
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Origin", APP)) {
                assertThat(s.status).isEqualTo(200);
                assertThat(s.headers.firstValue("access-control-allow-origin")).hasValue(APP);
                assertThat(s.headers.firstValue("access-control-allow-credentials")).hasValue("true");
                assertThat(s.headers.firstValue("access-control-expose-headers")).hasValueSatisfying(
                        v -> assertThat(v).contains("Mercure-Last-Event-ID"));
                assertThat(s.headers.allValues("vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("origin"));
            }
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Origin", APP, "Authorization", "Bearer x.y.z")) {
                assertThat(s.status).isEqualTo(401); // the page can read why
                assertThat(s.headers.firstValue("access-control-allow-origin")).hasValue(APP);
            }
            HttpResponse<String> published = CLIENT.send(HttpRequest.newBuilder(hub.url())
                    .header("Origin", APP).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Bearer " + TestHubs.publisherToken())
                    .POST(HttpRequest.BodyPublishers.ofString(Publish.form("topic", "t"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(published.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        }
    }

    @Test
    void otherOriginsAreNeverReflected() throws Exception {
        try (Hub hub = TestHubs.builder().corsOrigins(List.of(APP)).build().start();
             SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Origin", EVIL)) {
            assertThat(s.headers.firstValue("access-control-allow-origin")).isEmpty();
            assertThat(s.headers.firstValue("access-control-allow-credentials")).isEmpty();
            HttpResponse<String> p = preflight(hub, EVIL);
            assertThat(p.headers().firstValue("access-control-allow-origin")).isEmpty();
            assertThat(p.headers().firstValue("access-control-allow-methods")).isEmpty();
            HttpResponse<String> lookalike = preflight(hub, APP + ".evil.test");
            assertThat(lookalike.headers().firstValue("access-control-allow-origin")).isEmpty();
        }
    }

    @Test
    void preflightFromAnAllowedOriginListsMethodsAndHeaders() throws Exception {
        try (Hub hub = TestHubs.builder().corsOrigins(List.of(APP)).build().start()) {
            HttpResponse<String> p = preflight(hub, APP);
            assertThat(p.statusCode()).isEqualTo(204);
            assertThat(p.headers().firstValue("access-control-allow-origin")).hasValue(APP);
            assertThat(p.headers().firstValue("access-control-allow-credentials")).hasValue("true");
            assertThat(p.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(
                    v -> assertThat(v).contains("GET").contains("POST"));
            assertThat(p.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(
                    v -> assertThat(v).contains("Authorization").contains("Last-Event-ID"));
        }
    }

    @Test
    void wildcardNeverComesWithCredentials() throws Exception {
        try (Hub hub = TestHubs.builder().corsOrigins(List.of("*", APP)).build().start()) {
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Origin", EVIL)) {
                assertThat(s.headers.firstValue("access-control-allow-origin")).hasValue("*");
                assertThat(s.headers.firstValue("access-control-allow-credentials")).isEmpty();
            }
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Origin", APP)) {
                assertThat(s.headers.firstValue("access-control-allow-origin")).hasValue(APP);
                assertThat(s.headers.firstValue("access-control-allow-credentials")).hasValue("true");
            }
        }
    }

    @Test
    void withoutAnAllowlistNoCorsHeaderIsSent() throws Exception {
        try (Hub hub = TestHubs.start();
             SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Origin", APP)) {
            assertThat(s.headers.firstValue("access-control-allow-origin")).isEmpty();
        }
    }

    @Test
    void anOriginWithAPathOrWildcardPatternIsRefusedInConfiguration() {
        assertThatThrownBy(() -> TestHubs.builder().corsOrigins(List.of("https://app.test/"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestHubs.builder().corsOrigins(List.of("https://*.test"))).isInstanceOf(IllegalArgumentException.class);
    }
}
