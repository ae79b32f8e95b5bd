package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Keys.ecSigner;
import static dev.herald.hub.internal.auth.Keys.rsaSigner;
import static dev.herald.hub.internal.auth.Mint.HUB;
import static dev.herald.hub.internal.auth.Mint.ISSUER_A;
import static dev.herald.hub.internal.auth.Mint.ISSUER_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys from an issuer's JWK Set (Mercure §"Token Validation": trusted keys from the authorization
 * server's JWK Set), served by a local JDK HTTP server: rotation, rate-limited refresh on an
 * unknown {@code kid}, issuer binding, and header-supplied key locations being ignored.
 */
class JwksTest {

    private static final KeyPair RSA_1 = Keys.RSA_A;
    private static final KeyPair RSA_2 = Keys.RSA_B;

    /** Real time: nimbus's cache runs on the system clock, so tokens must be valid now. */
    private static final Clock CLOCK = Clock.systemUTC();

    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;
    private TokenVerifier verifier;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (verifier != null) {
            verifier.close();
        }
        server.stop(0);
    }

    private URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    private void serve(JWK... keys) {
        served.set(new JWKSet(List.of(keys)).toString(true));
    }

    /** The verification cache is off so that each verification consults the JWK Set source. */
    private TokenVerifier verifier(JwksSettings settings) {
        AuthConfig config = AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.ofJwks(ISSUER_A, settings))
                .verificationCacheSize(0)
                .build();
        verifier = TokenVerifier.create(config, Role.SUBSCRIBER, FakeMatchers.INSTANCE, CLOCK);
        return verifier;
    }

    private static Mint now(String alg) {
        long now = CLOCK.instant().getEpochSecond();
        return Mint.token(alg).claim("iat", now).claim("exp", now + 60);
    }

    private static RSAKey rsaJwk(KeyPair pair, String kid) {
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
    }

    @Test
    void acceptsTokenSignedByKeyOfTheSetAndCachesTheSet() throws InvalidTokenException {
        serve(rsaJwk(RSA_1, "k1"));
        TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));

        for (int i = 0; i < 3; i++) {
            assertThat(verifier.verify(now("RS256").header("kid", "k1").signedWith(rsaSigner(RSA_1))).issuer())
                    .isEqualTo(ISSUER_A);
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void newKidIsAcceptedAfterRotation() throws InvalidTokenException {
        serve(rsaJwk(RSA_1, "k1"));
        TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));
        verifier.verify(now("RS256").header("kid", "k1").signedWith(rsaSigner(RSA_1)));

        serve(rsaJwk(RSA_2, "k2"));

        assertThat(verifier.verify(now("RS256").header("kid", "k2").signedWith(rsaSigner(RSA_2))).issuer())
                .isEqualTo(ISSUER_A);
        assertThat(fetches).hasValue(2);
        assertThatThrownBy(() -> verifier.verify(now("RS256").header("kid", "k1").signedWith(rsaSigner(RSA_1))))
                .as("the rotated-out key is gone").isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void unknownKidFloodRefreshesAtMostTwicePerInterval() {
        serve(rsaJwk(RSA_1, "k1"));
        TokenVerifier verifier = verifier(JwksSettings.builder(jwksUrl())
                .rateLimitInterval(Duration.ofMinutes(1)).cacheTimeToLive(Duration.ofMinutes(5)).build());

        for (int i = 0; i < 20; i++) {
            String token = now("RS256").header("kid", "made-up-" + i).signedWith(rsaSigner(RSA_1));
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }
        assertThat(fetches.get()).isBetween(1, 2);
    }

    @Test
    void keyOfTheSetVerifiesOnlyItsOwnAlgorithmFamily() throws InvalidTokenException {
        KeyPair ec = Keys.EC_A;
        serve(new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("ec").build(),
                rsaJwk(RSA_1, "rsa").toPublicJWK());
        TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));

        assertThat(verifier.verify(now("ES256").header("kid", "ec").signedWith(ecSigner(ec))).issuer())
                .isEqualTo(ISSUER_A);
        assertThatThrownBy(() -> verifier.verify(now("ES256").header("kid", "rsa").signedWith(ecSigner(ec))))
                .hasMessageContaining("no key of issuer");
    }

    @Test
    void jwkAlgMemberRestrictsTheKey() {
        serve(new RSAKey.Builder((RSAPublicKey) RSA_1.getPublic()).keyID("k1")
                .algorithm(com.nimbusds.jose.JWSAlgorithm.PS256).build());
        TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));

        assertThatThrownBy(() -> verifier.verify(now("RS256").header("kid", "k1").signedWith(rsaSigner(RSA_1))))
                .hasMessageContaining("no key of issuer");
    }

    @Test
    void symmetricKeyInTheSetIsNeverUsed() {
        byte[] secret = Keys.secret(32);
        serve(new OctetSequenceKey.Builder(secret).keyID("oct").build());
        TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));

        assertThatThrownBy(() -> verifier.verify(now("HS256").header("kid", "oct").signedWith(Keys.hmac(secret))))
                .hasMessageContaining("no key of issuer");
    }

    @Test
    void ed25519KeyOfTheSetVerifiesEdDsa() throws InvalidTokenException {
        KeyPair ed = Keys.ED_A;
        serve(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Keys.rawEd25519(ed.getPublic())))
                .keyID("ed").build());
        TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));

        assertThat(verifier.verify(now("EdDSA").header("kid", "ed").signedWithEd25519(ed.getPrivate())).issuer())
                .isEqualTo(ISSUER_A);
    }

    @Test
    void keysOfOneIssuersSetNeverVerifyAnotherIssuersTokens() {
        serve(rsaJwk(RSA_1, "k1"));
        AuthConfig config = AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.ofJwks(ISSUER_A, JwksSettings.ofUrl(jwksUrl())))
                .subscriberIssuer(TrustedIssuer.of(ISSUER_B, VerificationKey.ofPublicKey(Keys.RSA_B.getPublic())))
                .verificationCacheSize(0)
                .build();
        verifier = TokenVerifier.create(config, Role.SUBSCRIBER, FakeMatchers.INSTANCE, CLOCK);

        assertThatThrownBy(() -> verifier.verify(now("RS256").claim("iss", ISSUER_B).header("kid", "k1")
                .signedWith(rsaSigner(RSA_1))))
                .hasMessageContaining("issuer \"https://b.example.com\"");
        assertThat(fetches).as("issuer B's token never consults issuer A's set").hasValue(0);
    }

    @Test
    void jkuAndJwkHeadersAreNeverFollowed() throws IOException {
        KeyPair attacker = Keys.rsa(2048);
        AtomicInteger attackerFetches = new AtomicInteger();
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] attackerSet = new JWKSet(rsaJwk(attacker, "evil")).toString(true).getBytes(StandardCharsets.UTF_8);
        evil.createContext("/", exchange -> {
            attackerFetches.incrementAndGet();
            exchange.sendResponseHeaders(200, attackerSet.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(attackerSet);
            }
        });
        evil.start();
        try {
            serve(rsaJwk(RSA_1, "k1"));
            TokenVerifier verifier = verifier(JwksSettings.ofUrl(jwksUrl()));
            String token = now("RS256").header("kid", "evil")
                    .header("jku", "http://127.0.0.1:" + evil.getAddress().getPort() + "/jwks.json")
                    .header("jwk", rsaJwk(attacker, "evil").toJSONString())
                    .signedWith(rsaSigner(attacker));

            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
            assertThat(attackerFetches).hasValue(0);
        } finally {
            evil.stop(0);
        }
    }

    @Test
    void unreachableSetRefusesTokensAsInvalid() {
        serve(rsaJwk(RSA_1, "k1"));
        URI url = jwksUrl();
        server.stop(0);
        TokenVerifier verifier = verifier(JwksSettings.builder(url)
                .connectTimeout(Duration.ofMillis(500)).readTimeout(Duration.ofMillis(500)).build());

        assertThatThrownBy(() -> verifier.verify(now("RS256").header("kid", "k1").signedWith(rsaSigner(RSA_1))))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("unavailable");
    }

    @Test
    void staticKeysAreTriedBeforeTheSet() throws InvalidTokenException {
        serve(rsaJwk(RSA_2, "k2"));
        AuthConfig config = AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.builder(ISSUER_A)
                        .key(VerificationKey.ofPublicKey(RSA_1.getPublic()).withKeyId("static"))
                        .jwks(JwksSettings.ofUrl(jwksUrl()))
                        .build())
                .verificationCacheSize(0)
                .build();
        verifier = TokenVerifier.create(config, Role.SUBSCRIBER, FakeMatchers.INSTANCE, CLOCK);

        verifier.verify(now("RS256").header("kid", "static").signedWith(rsaSigner(RSA_1)));
        assertThat(verifier.verify(now("RS256").header("kid", "k2").signedWith(rsaSigner(RSA_2))).issuer())
                .isEqualTo(ISSUER_A);
        assertThat(fetches).hasValue(1);
    }
}
