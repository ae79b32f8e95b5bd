package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CSRF protection of cookie-authenticated publishes (Mercure §"Security Considerations"): the
 * source origin ({@code Origin}, else {@code Referer}) must be the hub's own or an allowed one;
 * a request with neither is refused.
 */
class CsrfTest {

    /** The RFC 9728 metadata every 401 and 403 challenge points to (Mercure §"Error Responses"). */
    static final String METADATA =
            "resource_metadata=\"https://hub.test/.well-known/oauth-protected-resource/.well-known/mercure\"";

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static Hub hub;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().publishOrigins(List.of("https://app.test", "http://localhost:3000")).build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<String> publish(String... headerPairs) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(hub.url())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Publish.form("topic", "https://example.com/t", "data", "x")));
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cookie() {
        return "__Secure-mercure_access_token=" + Tokens.mint().publish("*").sign();
    }

    @ParameterizedTest(name = "Origin {0} -> {1}")
    @CsvSource({
            "https://app.test, 200",
            "https://APP.test:443, 200",
            "http://localhost:3000, 200",
            "https://hub.test, 200",          // the hub's own origin (its public URL)
            "https://evil.test, 403",
            "https://app.test.evil.test, 403",
            "http://app.test, 403",           // another scheme is another origin
            "https://app.test:8443, 403",
            "null, 403"})                     // opaque origin (sandboxed frame, data: URL)
    void cookiePublishIsCheckedAgainstTheAllowedOrigins(String origin, int status) throws Exception {
        HttpResponse<String> r = publish("Cookie", cookie(), "Origin", origin);
        assertThat(r.statusCode()).isEqualTo(status);
        if (status == 403) {
            assertThat(r.body()).containsIgnoringCase("origin");
            assertThat(r.headers().firstValue("www-authenticate")).isEmpty();
        }
    }

    @Test
    void cookiePublishWithoutOriginOrRefererIsRefused() throws Exception {
        assertThat(publish("Cookie", cookie()).statusCode()).isEqualTo(403);
    }

    @Test
    void refererStandsInForAMissingOrigin() throws Exception {
        assertThat(publish("Cookie", cookie(), "Referer", "https://app.test/admin/page?x=1").statusCode()).isEqualTo(200);
        assertThat(publish("Cookie", cookie(), "Referer", "https://evil.test/app.test").statusCode()).isEqualTo(403);
    }

    @Test
    void originIsCheckedBeforeRefererWhenBothArePresent() throws Exception {
        assertThat(publish("Cookie", cookie(), "Origin", "https://evil.test", "Referer", "https://app.test/").statusCode())
                .isEqualTo(403);
    }

    @Test
    void bearerHeaderPublishIsNotSubjectToTheOriginCheck() throws Exception {
        // a page cannot make a browser attach this header cross-site: no CSRF risk
        assertThat(publish("Authorization", "Bearer " + TestHubs.publisherToken(), "Origin", "https://evil.test").statusCode())
                .isEqualTo(200);
    }

    @Test
    void invalidCookieTokenIsStill401() throws Exception {
        HttpResponse<String> r = publish("Cookie", "__Secure-mercure_access_token=a.b.c", "Origin", "https://app.test");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_token\", " + METADATA);
    }
}
