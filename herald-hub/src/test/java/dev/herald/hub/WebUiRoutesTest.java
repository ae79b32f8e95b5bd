package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI's files and JSON endpoints over HTTP: content types, caching, 404 for unknown names, the
 * development endpoints' Host and Origin checks (DNS rebinding), and off by config.
 */
class WebUiRoutesTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static Hub hub;
    static Hub noUi;
    static Hub minting;
    static final String DEV_TOKEN = Tokens.mint().subject("ui-dev").publish("*").subscribe("*")
            .expiresIn(Duration.ofMinutes(10)).sign();

    @BeforeAll
    static void start() {
        hub = TestHubs.start();
        noUi = TestHubs.builder().ui(false).build().start();
        minting = TestHubs.builder().uiToken(DEV_TOKEN).uiTokenMinter(Tokens.uiMinter()).build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        noUi.close();
        minting.close();
    }

    static HttpResponse<String> mint(Hub h, String form) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + h.address().getPort() + "/ui/api/token");
        return CLIENT.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTokenMinterMintsTheGrantsAskedForOnlyWhenConfigured() throws Exception {
        assertThat(new ObjectMapper().readTree(get(minting, "/ui/api/config").body()).get("minter").asBoolean()).isTrue();
        HttpResponse<String> r = mint(minting, "publish=https%3A%2F%2Fexample.com%2Fa%2F*&urlpatterns=on&lifetime=600"
                + "&subject=dev-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode minted = new ObjectMapper().readTree(r.body());
        assertThat(minted.get("expiresAt").asText()).isNotEmpty();
        String token = minted.get("token").asText();
        JsonNode claims = new ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.get("sub").asText()).isEqualTo("dev-1");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);
        JsonNode topic = claims.get("authorization_details").get(0).get("topics").get(0);
        assertThat(topic.get("match").asText()).isEqualTo("https://example.com/a/*");
        assertThat(topic.get("match_type").asText()).isEqualTo("urlpattern");
        // the token works: it may publish where it was granted, and nowhere else
        assertThat(dev.herald.hub.test.Publish.post(minting.url(), token, "topic=https%3A%2F%2Fexample.com%2Fa%2F1&data=x")
                .statusCode()).isEqualTo(200);
        assertThat(dev.herald.hub.test.Publish.post(minting.url(), token, "topic=https%3A%2F%2Fexample.com%2Fb&data=x")
                .statusCode()).isEqualTo(403);

        assertThat(mint(minting, "lifetime=600").statusCode()).as("no matcher").isEqualTo(400);
        assertThat(mint(minting, "publish=*&lifetime=99999999").body()).contains("lifetime");
        assertThat(mint(minting, "publish=" + "a+".repeat(21)).body()).contains("at most 20");
        assertThat(get(minting, "/ui/api/token").statusCode()).isEqualTo(405);
        assertThat(mint(hub, "publish=*").statusCode()).as("no minter configured").isEqualTo(404);
        assertThat(new ObjectMapper().readTree(get(hub, "/ui/api/config").body()).get("minter").asBoolean()).isFalse();
    }

    /** {@code METHOD PATH} to {@code h} with exactly the {@code Host} (none if null) and extra header lines given. */
    static RawHttp.Response raw(Hub h, String method, String path, String host, String... headers) throws Exception {
        StringBuilder req = new StringBuilder(method + " " + path + (host == null ? " HTTP/1.0" : " HTTP/1.1") + "\r\n");
        if (host != null) {
            req.append("Host: ").append(host).append("\r\n");
        }
        for (String header : headers) {
            req.append(header).append("\r\n");
        }
        String body = method.equals("POST") ? "publish=https%3A%2F%2Fexample.com%2Fa" : "";
        req.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
                .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\nConnection: close\r\n\r\n").append(body);
        return RawHttp.exchange(h.address(), req.toString(), Duration.ofSeconds(5));
    }

    /** DNS rebinding: a hostile page's requests reach the loopback hub under the page's own host name. */
    @Test
    void theDevTokenAndTheMinterAnswerOnlyRequestsNamingALoopbackAddressOrThePublicHost() throws Exception {
        int port = minting.address().getPort();
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "localhost.",
            "app.localhost:" + port, "[::1]:" + port, "127.9.9.9", "hub.test", "hub.test:443"}) {
            RawHttp.Response config = raw(minting, "GET", "/ui/api/config", host);
            assertThat(config.status()).as(host).isEqualTo(200);
            assertThat(config.body()).as(host).contains(DEV_TOKEN);
            assertThat(raw(minting, "POST", "/ui/api/token", host).status()).as(host).isEqualTo(200);
        }
        for (String host : new String[] {"evil.example", "evil.example:" + port, "127.0.0.1.evil.example",
            "localhost.evil.example", "10.0.0.1", "[::2]", "hub.test.evil.example", ""}) {
            RawHttp.Response config = raw(minting, "GET", "/ui/api/config", host);
            assertThat(config.status()).as(host).isEqualTo(403);
            assertThat(config.body()).as(host).doesNotContain(DEV_TOKEN).contains("DNS rebinding");
            RawHttp.Response mint = raw(minting, "POST", "/ui/api/token", host);
            assertThat(mint.status()).as(host).isEqualTo(403);
            assertThat(mint.body()).as(host).doesNotContain("token\"").contains("DNS rebinding");
        }
        assertThat(raw(minting, "GET", "/ui/api/config", null).status()).as("HTTP/1.0, no Host").isEqualTo(403);
        assertThat(raw(minting, "GET", "/ui/api/config", "evil.example").body()).contains("'evil.example'");
        // without a token to hand out, the config is nothing to protect: a UI behind any name keeps working
        assertThat(raw(hub, "GET", "/ui/api/config", "evil.example").status()).isEqualTo(200);
        assertThat(raw(hub, "GET", "/ui/api/stats", "evil.example").status()).isEqualTo(200);
    }

    @Test
    void aMintRequestFromAnotherOriginIsRefused() throws Exception {
        String host = "127.0.0.1:" + minting.address().getPort();
        for (String origin : new String[] {"http://" + host, "https://" + host, "https://hub.test"}) {
            assertThat(raw(minting, "POST", "/ui/api/token", host, "Origin: " + origin).status()).as(origin).isEqualTo(200);
        }
        for (String origin : new String[] {"http://evil.example", "null", "http://127.0.0.1:1", "http://localhost:"
                + minting.address().getPort()}) {
            RawHttp.Response r = raw(minting, "POST", "/ui/api/token", host, "Origin: " + origin);
            assertThat(r.status()).as(origin).isEqualTo(403);
            assertThat(r.body()).as(origin).contains("Origin").contains("CSRF");
        }
    }

    static HttpResponse<String> get(Hub h, String rawPath) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + h.address().getPort() + rawPath);
        return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesAreHtmlRevalidatedOnEveryLoadWithAStrictContentSecurityPolicy() throws Exception {
        for (String page : new String[] {"/", "/demo/notifications", "/demo/market", "/demo/news",
            "/demo/presence"}) {
            HttpResponse<String> r = get(hub, page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(r.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(r.headers().firstValue("content-security-policy").orElseThrow()).startsWith("default-src 'self'");
            assertThat(r.body()).contains("<title>", "/ui/common.js").doesNotContain("http://", "https://cdn");
        }
    }

    @Test
    void assetsHaveTheirContentTypesAndAShortCacheLifetime() throws Exception {
        HttpResponse<String> js = get(hub, "/ui/market.js");
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("cache-control")).hasValue("public, max-age=300");
        assertThat(js.body()).contains("new EventSource(");
        assertThat(get(hub, "/ui/herald.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get(hub, "/ui/favicon.svg").headers().firstValue("content-type")).hasValue("image/svg+xml");
    }

    @Test
    void unknownNamesAndTraversalAttemptsAre404() throws Exception {
        for (String path : new String[] {"/ui/", "/ui/nope.js", "/ui/../ui/market.js", "/ui/%2e%2e/HubConfig.class",
            "/ui/..%2fdev/herald/hub/Hub.class", "/demo/", "/demo/market/", "/index.html", "/ui/index.html/"}) {
            assertThat(get(hub, path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void statsAndConfigAreJsonAndTheTokenIsAbsentUnlessConfigured() throws Exception {
        JsonNode stats = new ObjectMapper().readTree(get(hub, "/ui/api/stats").body());
        assertThat(stats.has("subscribers")).isTrue();
        assertThat(stats.get("published").isNumber()).isTrue();
        HttpResponse<String> config = get(hub, "/ui/api/config");
        assertThat(config.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode c = new ObjectMapper().readTree(config.body());
        assertThat(c.get("hubPath").asText()).isEqualTo(HubConfig.DEFAULT_HUB_PATH);
        assertThat(c.get("token").isNull()).isTrue();
        assertThat(c.get("demo").asBoolean()).isFalse();
    }

    static JsonNode stats() throws Exception {
        return new ObjectMapper().readTree(get(hub, "/ui/api/stats").body());
    }

    static String match(String type, String value) {
        return type + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void statsCountTheDistinctTopicsAndPatternsTheOpenStreamsFollow() throws Exception {
        JsonNode before = stats();
        long topics = before.get("topics").asLong();
        long patterns = before.get("patterns").asLong();
        String a = "https://example.com/stats/a";
        String query = match("match", a) + "&" + match("match", "https://example.com/stats/b") + "&"
                + match("match_urlpattern", "https://example.com/stats/:id") + "&match=*";
        try (SseStream first = SseStream.open(TestHubs.url(hub, query));
             SseStream second = SseStream.open(TestHubs.url(hub, match("match", a) + "&match=*"))) {
            // two streams, six matchers: the topic and the wildcard both streams follow count once
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode open = stats();
                assertThat(open.get("topics").asLong()).isEqualTo(topics + 2);
                assertThat(open.get("patterns").asLong()).isEqualTo(patterns + 2); // the URL pattern and *
            });
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode closed = stats();
            assertThat(closed.get("topics").asLong()).isEqualTo(topics);
            assertThat(closed.get("patterns").asLong()).isEqualTo(patterns);
        });
    }

    @Test
    void uiOffServesNoPageButKeepsMetrics() throws Exception {
        assertThat(get(noUi, "/").statusCode()).isEqualTo(404);
        assertThat(get(noUi, "/demo/market").statusCode()).isEqualTo(404);
        assertThat(get(noUi, "/ui/api/stats").statusCode()).isEqualTo(404);
        assertThat(get(noUi, "/metrics").statusCode()).isEqualTo(200);
    }
}
