package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mercure §"Discovery": the hub {@code Link} header and the RFC 9728 protected resource metadata. */
class DiscoveryTest {

    static final String LINK = "<" + TestHubs.PUBLIC_URL + ">; rel=\"mercure\"";
    static Hub hub;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder()
                .subscriberIssuer(JwtIssuer.hmac("https://auth.example.com", "another-secret-0123456789-abcdefghijkl"))
                .build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + hub.address().getPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metadataIsServedAtTheWellKnownPathDerivedFromTheHubPath() throws Exception {
        HttpResponse<String> r = get("/.well-known/oauth-protected-resource/.well-known/mercure");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        JsonNode m = new ObjectMapper().readTree(r.body());
        assertThat(m.get("resource").asText()).isEqualTo(TestHubs.AUDIENCE);
        assertThat(m.get("authorization_details_types_supported").toString())
                .isEqualTo("[\"https://mercure.rocks/authorization-detail\"]");
        assertThat(m.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(m.get("mercure_cookie").asText()).isEqualTo("__Secure-mercure_access_token");
        assertThat(m.get("authorization_servers").toString()) // https issuers only: the tests' own is one
                .contains("https://auth.example.com");
        assertThat(get("/.well-known/oauth-protected-resource").statusCode()).isEqualTo(404);
    }

    @Test
    void subscriptionsAndUiPagesAdvertiseTheHub() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=*"))) {
            assertThat(s.headers.firstValue("link")).hasValue(LINK);
        }
        assertThat(get("/").headers().firstValue("link")).hasValue(LINK);
    }
}
