package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web UI's files and JSON endpoints over HTTP: content types, caching, 404 for unknown names, and off by config. */
class WebUiRoutesTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static Hub hub;
    static Hub noUi;
    static Hub minting;

    @BeforeAll
    static void start() {
        hub = TestHubs.start();
        noUi = TestHubs.builder().ui(false).build().start();
        minting = TestHubs.builder().uiTokenMinter(Tokens.uiMinter()).build().start();
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

    @Test
    void uiOffServesNoPageButKeepsMetrics() throws Exception {
        assertThat(get(noUi, "/").statusCode()).isEqualTo(404);
        assertThat(get(noUi, "/demo/market").statusCode()).isEqualTo(404);
        assertThat(get(noUi, "/ui/api/stats").statusCode()).isEqualTo(404);
        assertThat(get(noUi, "/metrics").statusCode()).isEqualTo(200);
    }
}
