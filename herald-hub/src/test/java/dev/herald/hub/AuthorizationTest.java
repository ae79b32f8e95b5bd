package dev.herald.hub;

import static dev.herald.hub.test.Publish.form;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.JwksServer;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mercure §"Authorization" over real sockets: every key form (HMAC secret, RSA and EC PEM public
 * keys, JWK Set), several trusted issuers per role, separate publisher and subscriber keys, every
 * refused token form, and the RFC 6750 error responses.
 */
class AuthorizationTest {

    /** The RFC 9728 metadata every 401 and 403 challenge points to (Mercure §"Error Responses"). */
    static final String METADATA =
            "resource_metadata=\"https://hub.test/.well-known/oauth-protected-resource/.well-known/mercure\"";

    static final String RSA_ISSUER = "https://rsa-issuer.test";
    static final String EC_ISSUER = "https://ec-issuer.test";
    static final String JWKS_ISSUER = "https://jwks-issuer.test";
    static final String SUBSCRIBER_KEY = "test-subscriber-key-0123456789-abcdefghij";
    static final KeyPair JWKS_KEY = Tokens.generate("EC", "secp256r1");
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static JwksServer jwks;
    static Hub hub;

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(Tokens.jwks(List.of(JWKS_KEY), List.of("k1")));
        hub = TestHubs.builder()
                .anonymous(false)
                .publisherIssuer(JwtIssuer.publicKey(RSA_ISSUER, Tokens.pem(Tokens.RSA.getPublic())))
                .publisherIssuer(JwtIssuer.builder(EC_ISSUER).publicKeyPem(Tokens.pem(Tokens.EC.getPublic()), "ES256").build())
                .publisherIssuer(JwtIssuer.jwks(JWKS_ISSUER, jwks.url()))
                .subscriberIssuer(JwtIssuer.hmac(Tokens.ISSUER, SUBSCRIBER_KEY))
                .subscriberIssuer(JwtIssuer.jwks(JWKS_ISSUER, jwks.url()))
                .build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        jwks.close();
    }

    static HttpResponse<String> publish(String token) throws Exception {
        return Publish.post(hub.url(), token, form("topic", "https://example.com/books/1", "data", "x"));
    }

    static String challenge(HttpResponse<?> r) {
        return r.headers().firstValue("www-authenticate").orElse(null);
    }

    @Test
    void hmacTokenOfTheShorthandIssuerMayPublish() throws Exception {
        assertThat(publish(Tokens.mint().publish("*").sign()).statusCode()).isEqualTo(200);
    }

    @Test
    void rsaSignedTokenOfAPemIssuerMayPublish() throws Exception {
        assertThat(publish(Tokens.mint().issuer(RSA_ISSUER).rsa(Tokens.RSA).publish("*").sign()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void ecSignedTokenOfAPemIssuerMayPublish() throws Exception {
        assertThat(publish(Tokens.mint().issuer(EC_ISSUER).ec(Tokens.EC).publish("*").sign()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void tokenSignedWithAKeyFromTheIssuersJwkSetMayPublishAndSubscribe() throws Exception {
        String publisher = Tokens.mint().issuer(JWKS_ISSUER).ec(JWKS_KEY).keyId("k1").publish("*").sign();
        assertThat(publish(publisher).statusCode()).isEqualTo(200);
        String subscriber = Tokens.mint().issuer(JWKS_ISSUER).ec(JWKS_KEY).keyId("k1").subscribe("*").sign();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + subscriber)) {
            assertThat(s.status).isEqualTo(200);
        }
    }

    @Test
    void subscriberKeyAndPublisherKeyAreNotInterchangeable() throws Exception {
        String signedWithSubscriberKey = Tokens.mint().hmac(SUBSCRIBER_KEY).publish("*").sign();
        assertThat(publish(signedWithSubscriberKey).statusCode()).isEqualTo(401);
        String signedWithPublisherKey = Tokens.mint().subscribe("*").sign();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + signedWithPublisherKey)) {
            assertThat(s.status).isEqualTo(401);
            assertThat(s.headers.firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_token\", " + METADATA);
        }
        String right = Tokens.mint().hmac(SUBSCRIBER_KEY).subscribe("*").sign();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + right)) {
            assertThat(s.status).isEqualTo(200);
        }
    }

    static Stream<Arguments> refusedTokens() {
        String rsaPem = Tokens.pem(Tokens.RSA.getPublic());
        return Stream.of(
                Arguments.of("alg none", Tokens.mint().publish("*").unsecured()),
                Arguments.of("algorithm confusion: the RSA public key used as an HMAC secret",
                        Tokens.mint().issuer(RSA_ISSUER).hmac(rsaPem.getBytes(StandardCharsets.US_ASCII)).publish("*").sign()),
                Arguments.of("missing exp", Tokens.mint().noExpiry().publish("*").sign()),
                Arguments.of("expired beyond the clock skew",
                        Tokens.mint().expiresAt(Instant.now().minusSeconds(120)).publish("*").sign()),
                Arguments.of("wrong aud", Tokens.mint().audience("https://other-hub.test/.well-known/mercure").publish("*").sign()),
                Arguments.of("untrusted iss", Tokens.mint().issuer("https://unknown.test").publish("*").sign()),
                Arguments.of("iss of one issuer, signed by another", Tokens.mint().issuer(RSA_ISSUER).ec(Tokens.EC).publish("*").sign()),
                Arguments.of("typ JWT", Tokens.mint().type("JWT").publish("*").sign()),
                Arguments.of("no typ", Tokens.mint().type(null).publish("*").sign()),
                Arguments.of("wrong key", Tokens.mint().hmac("another-key-of-enough-length-0123456789").publish("*").sign()),
                Arguments.of("tampered signature", tamper(Tokens.mint().publish("*").sign())),
                Arguments.of("jwks key id unknown", Tokens.mint().issuer(JWKS_ISSUER).ec(Tokens.EC).keyId("nope").publish("*").sign()));
    }

    static String tamper(String token) {
        int dot = token.lastIndexOf('.');
        char c = token.charAt(dot + 1);
        return token.substring(0, dot + 1) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedTokenIs401InvalidTokenWithoutDetails(String name, String token) throws Exception {
        HttpResponse<String> r = publish(token);
        assertThat(r.statusCode()).as(name).isEqualTo(401);
        assertThat(challenge(r)).as(name).isEqualTo("Bearer error=\"invalid_token\", " + METADATA);
        assertThat(r.body()).as(name).doesNotContain(token).doesNotContainIgnoringCase("signature");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedTokenCannotSubscribe(String name, String token) throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + token)) {
            assertThat(s.status).as(name).isEqualTo(401);
            assertThat(s.headers.firstValue("www-authenticate")).as(name).hasValue("Bearer error=\"invalid_token\", " + METADATA);
        }
    }

    @Test
    void tokenJustPastExpIsToleratedForAPublishButNotForANewStream() throws Exception {
        Instant justExpired = Instant.now().minusSeconds(5); // within the 30 s clock skew
        assertThat(publish(Tokens.mint().expiresAt(justExpired).publish("*").sign()).statusCode()).isEqualTo(200);
        String subscriber = Tokens.mint().hmac(SUBSCRIBER_KEY).expiresAt(justExpired).subscribe("*").sign();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + subscriber)) {
            assertThat(s.status).isEqualTo(401); // its stream would have to close at once: renew instead
            assertThat(s.headers.firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_token\", " + METADATA);
        }
    }

    @Test
    void noTokenIs401WithABearerChallengeWithoutErrorCode() throws Exception {
        assertThat(challenge(publish(null))).isEqualTo("Bearer " + METADATA);
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"))) {
            assertThat(s.status).isEqualTo(401);
            assertThat(s.headers.firstValue("www-authenticate")).hasValue("Bearer " + METADATA);
        }
    }

    @Test
    void validTokenWithoutTheGrantIs403InsufficientScope() throws Exception {
        HttpResponse<String> r = publish(Tokens.mint().publish("https://example.com/books/2").sign());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(challenge(r)).isEqualTo("Bearer error=\"insufficient_scope\", " + METADATA);
        HttpResponse<String> subscribeOnly = publish(Tokens.mint().subscribe("*").sign());
        assertThat(subscribeOnly.statusCode()).isEqualTo(403);
    }

    @ParameterizedTest
    @MethodSource("malformedAuthorizations")
    void malformedPresentationIs400InvalidRequest(String authorization) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(hub.url())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(form("topic", "t"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(challenge(r)).isEqualTo("Bearer error=\"invalid_request\"");
    }

    static List<String> malformedAuthorizations() {
        String token = Tokens.mint().publish("*").sign();
        return List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer  " + token, "Bearer " + token + " extra", "Token " + token,
                "Bearer " + token.replace('.', ','));
    }

    @Test
    void tokenInTheQueryStringIsNeverAccepted() throws Exception {
        String token = Tokens.mint().publish("*").subscribe("*").sign();
        HttpResponse<String> r = Publish.post(URI.create(hub.url() + "?access_token=" + token), null, form("topic", "t"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(challenge(r)).isEqualTo("Bearer " + METADATA);
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t&access_token=" + token))) {
            assertThat(s.status).isEqualTo(401);
        }
    }

    @Test
    void cookieCarriesASubscriberTokenAndAnAuthorizationHeaderWinsOverIt() throws Exception {
        String good = Tokens.mint().hmac(SUBSCRIBER_KEY).subscribe("*").sign();
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Cookie", "__Secure-mercure_access_token=" + good)) {
            assertThat(s.status).isEqualTo(200);
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=t"), "Cookie", "__Secure-mercure_access_token=" + good,
                "Authorization", "Bearer " + tamper(good))) {
            assertThat(s.status).isEqualTo(401); // the header is used, the cookie ignored (Mercure §"Presenting the Access Token")
        }
    }

    @Test
    void jwkSetFetchNeverBlocksTheEventLoop() throws Exception {
        KeyPair key = Tokens.generate("EC", "secp256r1");
        try (JwksServer slow = new JwksServer(Tokens.jwks(List.of(key), List.of("slow")));
             Hub single = TestHubs.builder().eventLoopThreads(1)
                     .publisherIssuer(JwtIssuer.jwks(JWKS_ISSUER, slow.url())).build().start()) {
            slow.hold();
            String token = Tokens.mint().issuer(JWKS_ISSUER).ec(key).keyId("slow").publish("*").sign();
            CompletableFuture<HttpResponse<String>> publish = CompletableFuture.supplyAsync(() -> {
                try {
                    return Publish.post(single.url(), token, form("topic", "t", "data", "x"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(slow.awaitFetch(5000)).as("the hub fetches the JWK Set").isTrue();
            // the only event loop must still serve other connections while the fetch is held
            long start = System.nanoTime();
            HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(single.url().resolve("/healthz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
            assertThat(publish).isNotDone();
            slow.release();
            assertThat(publish.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pipelinedRequestsBehindAJwkSetVerificationAreAnsweredInOrder() throws Exception {
        KeyPair key = Tokens.generate("EC", "secp256r1");
        try (JwksServer slow = new JwksServer(Tokens.jwks(List.of(key), List.of("k")));
             Hub h = TestHubs.builder().publisherIssuer(JwtIssuer.jwks(JWKS_ISSUER, slow.url())).build().start();
             dev.herald.hub.test.RawHttp raw = new dev.herald.hub.test.RawHttp(h.address())) {
            slow.hold();
            String jwksToken = Tokens.mint().issuer(JWKS_ISSUER).ec(key).keyId("k").publish("*").sign();
            String hmacToken = Tokens.mint().publish("*").sign();
            StringBuilder pipelined = new StringBuilder();
            String[][] requests = {{jwksToken, "first"}, {hmacToken, "second"}, {jwksToken, "third"}};
            for (String[] r : requests) {
                String body = form("topic", "t", "id", r[1]);
                pipelined.append("POST /.well-known/mercure HTTP/1.1\r\nHost: hub\r\n")
                        .append("Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer ").append(r[0])
                        .append("\r\nContent-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            }
            raw.send(pipelined.toString());
            assertThat(slow.awaitFetch(5000)).isTrue();
            slow.release();
            for (String[] r : requests) {
                dev.herald.hub.test.RawHttp.Response response = raw.read(Duration.ofSeconds(5));
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(r[1]);
            }
        }
    }

    @Test
    void rotatedJwkSetKeyIsPickedUpByItsKeyId() throws Exception {
        KeyPair first = Tokens.generate("EC", "secp256r1");
        KeyPair second = Tokens.generate("EC", "secp256r1");
        try (JwksServer rotating = new JwksServer(Tokens.jwks(List.of(first), List.of("2026-01")));
             Hub h = TestHubs.builder().publisherIssuer(JwtIssuer.jwks(JWKS_ISSUER, rotating.url())).build().start()) {
            String before = Tokens.mint().issuer(JWKS_ISSUER).ec(first).keyId("2026-01").publish("*").sign();
            assertThat(Publish.post(h.url(), before, form("topic", "t")).statusCode()).isEqualTo(200);
            rotating.document(Tokens.jwks(List.of(first, second), List.of("2026-01", "2026-02")));
            String after = Tokens.mint().issuer(JWKS_ISSUER).ec(second).keyId("2026-02").publish("*").sign();
            assertThat(Publish.post(h.url(), after, form("topic", "t")).statusCode()).isEqualTo(200);
            assertThat(rotating.fetches()).isEqualTo(2);
        }
    }

    @Test
    void pemTextConfiguredAsAnHmacSecretIsRefused() {
        Hub.Builder b = TestHubs.builder().publisherJwtKey(Tokens.pem(Tokens.RSA.getPublic()));
        org.assertj.core.api.Assertions.assertThatThrownBy(b::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM").hasMessageContaining("HS256");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JwtIssuer.hmac(RSA_ISSUER, Tokens.pem(Tokens.RSA.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(RSA_ISSUER).hasMessageContaining("PEM");
    }
}
