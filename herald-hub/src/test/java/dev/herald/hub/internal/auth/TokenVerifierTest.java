package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Keys.ED_A;
import static dev.herald.hub.internal.auth.Keys.EC_A;
import static dev.herald.hub.internal.auth.Keys.HMAC_B;
import static dev.herald.hub.internal.auth.Keys.HMAC_PUBLISHER;
import static dev.herald.hub.internal.auth.Keys.RSA_A;
import static dev.herald.hub.internal.auth.Keys.RSA_B;
import static dev.herald.hub.internal.auth.Keys.ecSigner;
import static dev.herald.hub.internal.auth.Keys.hmac;
import static dev.herald.hub.internal.auth.Keys.rsaSigner;
import static dev.herald.hub.internal.auth.Mint.HUB;
import static dev.herald.hub.internal.auth.Mint.ISSUER_A;
import static dev.herald.hub.internal.auth.Mint.ISSUER_B;
import static dev.herald.hub.internal.auth.Mint.ISSUER_ED;
import static dev.herald.hub.internal.auth.Mint.NOW;
import static dev.herald.hub.internal.auth.Mint.detail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.nimbusds.jose.jwk.RSAKey;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mercure §"Token Validation" and §"Security Considerations: Token Validation": every accepted form
 * and one test per refusal. Subscriber issuers: A (an RSA and an EC key, with key IDs), B (an HMAC
 * secret and another RSA key), ED (an Ed25519 key). Publisher issuer: A with an HMAC secret only.
 */
class TokenVerifierTest {

    static final AuthConfig CONFIG = AuthConfig.builder(HUB)
            .subscriberIssuer(TrustedIssuer.of(ISSUER_A,
                    VerificationKey.ofPublicKeyPem(Keys.pem(RSA_A.getPublic())).withKeyId("rsa-a"),
                    VerificationKey.ofPublicKeyPem(Keys.pem(EC_A.getPublic())).withKeyId("ec-a")))
            .subscriberIssuer(TrustedIssuer.of(ISSUER_B,
                    VerificationKey.ofHmacSecret(HMAC_B),
                    VerificationKey.ofPublicKey(RSA_B.getPublic())))
            .subscriberIssuer(TrustedIssuer.of(ISSUER_ED, VerificationKey.ofPublicKeyPem(Keys.pem(ED_A.getPublic()))))
            .publisherIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofHmacSecret(HMAC_PUBLISHER)))
            .build();

    static final TokenVerifier SUBSCRIBERS =
            TokenVerifier.create(CONFIG, Role.SUBSCRIBER, FakeMatchers.INSTANCE, Mint.CLOCK);
    static final TokenVerifier PUBLISHERS =
            TokenVerifier.create(CONFIG, Role.PUBLISHER, FakeMatchers.INSTANCE, Mint.CLOCK);

    private static final KeyPair ATTACKER = Keys.rsa(2048);

    @AfterAll
    static void close() {
        SUBSCRIBERS.close();
        PUBLISHERS.close();
    }

    static Stream<Arguments> acceptedTokens() {
        long now = NOW.getEpochSecond();
        return Stream.of(
                arguments("RS256 by issuer A", Mint.token("RS256").signedWith(rsaSigner(RSA_A))),
                arguments("RS512 by issuer A", Mint.token("RS512").signedWith(rsaSigner(RSA_A))),
                arguments("PS256 by issuer A", Mint.token("PS256").signedWith(rsaSigner(RSA_A))),
                arguments("ES256 by issuer A", Mint.token("ES256").signedWith(ecSigner(EC_A))),
                arguments("HS256 by issuer B", Mint.token("HS256").claim("iss", ISSUER_B).signedWith(hmac(HMAC_B))),
                arguments("HS512 by issuer B", Mint.token("HS512").claim("iss", ISSUER_B).signedWith(hmac(HMAC_B))),
                arguments("RS256 by issuer B's own RSA key",
                        Mint.token("RS256").claim("iss", ISSUER_B).signedWith(rsaSigner(RSA_B))),
                arguments("EdDSA by issuer ED",
                        Mint.token("EdDSA").claim("iss", ISSUER_ED).signedWithEd25519(ED_A.getPrivate())),
                arguments("Ed25519 (RFC 9864) by issuer ED",
                        Mint.token("Ed25519").claim("iss", ISSUER_ED).signedWithEd25519(ED_A.getPrivate())),
                arguments("typ application/at+jwt",
                        Mint.token("RS256").header("typ", "application/at+jwt").signedWith(rsaSigner(RSA_A))),
                arguments("typ AT+JWT (case-insensitive)",
                        Mint.token("RS256").header("typ", "AT+JWT").signedWith(rsaSigner(RSA_A))),
                arguments("typ Application/At+Jwt",
                        Mint.token("RS256").header("typ", "Application/At+Jwt").signedWith(rsaSigner(RSA_A))),
                arguments("aud array containing the resource identifier",
                        Mint.token("RS256").claim("aud", "[\"https://other.example.com\",\"" + HUB + "\"]")
                                .signedWith(rsaSigner(RSA_A))),
                arguments("exp passed but within the 30 s clock skew",
                        Mint.token("RS256").claim("exp", now - 29).signedWith(rsaSigner(RSA_A))),
                arguments("nbf ahead but within the 30 s clock skew",
                        Mint.token("RS256").claim("nbf", now + 29).signedWith(rsaSigner(RSA_A))),
                arguments("nbf in the past", Mint.token("RS256").claim("nbf", now - 60).signedWith(rsaSigner(RSA_A))),
                arguments("fractional exp", Mint.token("RS256").claim("exp", now + 0.5).signedWith(rsaSigner(RSA_A))),
                arguments("exp beyond the Instant range",
                        Mint.token("RS256").claim("exp", 1e300).signedWith(rsaSigner(RSA_A))),
                arguments("kid naming the signing key",
                        Mint.token("RS256").header("kid", "rsa-a").signedWith(rsaSigner(RSA_A))),
                arguments("no sub (an issuer obligation the hub does not enforce)",
                        Mint.token("RS256").claim("sub", null).signedWith(rsaSigner(RSA_A))),
                arguments("authorization_details of another type only",
                        Mint.token("RS256").details("[{\"type\":\"tenant\",\"actions\":{\"x\":1}}]")
                                .signedWith(rsaSigner(RSA_A))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedTokens")
    void acceptsValidAccessToken(String name, String token) throws InvalidTokenException {
        AccessToken accessToken = SUBSCRIBERS.verify(token);

        assertThat(accessToken.issuer()).isIn(ISSUER_A, ISSUER_B, ISSUER_ED);
        assertThat(accessToken.expiresAt()).isAfter(NOW.minusSeconds(30));
    }

    static Stream<Arguments> refusedTokens() {
        long now = NOW.getEpochSecond();
        String valid = Mint.token("RS256").signedWith(rsaSigner(RSA_A));
        String otherClaims = Mint.token("RS256").claim("sub", "someone-else").signedWith(rsaSigner(RSA_A));
        String[] validParts = valid.split("\\.");
        String tampered = validParts[0] + "." + otherClaims.split("\\.")[1] + "." + validParts[2];
        String attackerJwk = new RSAKey.Builder((java.security.interfaces.RSAPublicKey) ATTACKER.getPublic())
                .build().toJSONString();
        return Stream.of(
                arguments("alg none without signature", Mint.token("none").withSignature(""), "unsigned"),
                arguments("alg none with a signature", Mint.token("none").withSignature("c2lnbmF0dXJl"),
                        "unparsable JWS header"),
                arguments("algorithm confusion: the RSA public key PEM used as HMAC secret",
                        Mint.token("HS256").signedWith(hmac(Keys.pemBytes(RSA_A.getPublic()))),
                        "no key of issuer \"https://a.example.com\" may verify alg HS256"),
                arguments("algorithm confusion: the RSA public key DER used as HMAC secret",
                        Mint.token("HS256").signedWith(hmac(RSA_A.getPublic().getEncoded())),
                        "may verify alg HS256"),
                arguments("ES256 claimed by an RSA-only issuer",
                        Mint.token("ES256").claim("iss", ISSUER_B).signedWith(ecSigner(EC_A)),
                        "no key of issuer \"https://b.example.com\" may verify alg ES256"),
                arguments("missing exp", Mint.token("RS256").claim("exp", null).signedWith(rsaSigner(RSA_A)),
                        "exp missing"),
                arguments("expired beyond the clock skew",
                        Mint.token("RS256").claim("exp", now - 31).signedWith(rsaSigner(RSA_A)), "expired"),
                arguments("exp exactly now minus the clock skew",
                        Mint.token("RS256").claim("exp", now - 30).signedWith(rsaSigner(RSA_A)), "expired"),
                arguments("exp not a number",
                        Mint.token("RS256").claim("exp", "tomorrow").signedWith(rsaSigner(RSA_A)),
                        "exp is not a number"),
                arguments("nbf in the future beyond the clock skew",
                        Mint.token("RS256").claim("nbf", now + 31).signedWith(rsaSigner(RSA_A)), "not valid before"),
                arguments("nbf not a number",
                        Mint.token("RS256").claim("nbf", true).signedWith(rsaSigner(RSA_A)), "nbf is not a number"),
                arguments("wrong aud",
                        Mint.token("RS256").claim("aud", "https://other-hub.example.com/.well-known/mercure")
                                .signedWith(rsaSigner(RSA_A)), "aud does not contain"),
                arguments("aud array without the resource identifier",
                        Mint.token("RS256").claim("aud", "[\"https://other.example.com\"]")
                                .signedWith(rsaSigner(RSA_A)), "aud does not contain"),
                arguments("aud array with a non-string member",
                        Mint.token("RS256").claim("aud", "[\"" + HUB + "\", 1]").signedWith(rsaSigner(RSA_A)),
                        "aud has a non-string member"),
                arguments("aud an object", Mint.token("RS256").claim("aud", "{\"a\":1}").signedWith(rsaSigner(RSA_A)),
                        "aud is neither"),
                arguments("missing aud", Mint.token("RS256").claim("aud", null).signedWith(rsaSigner(RSA_A)),
                        "aud missing"),
                arguments("missing iss", Mint.token("RS256").claim("iss", null).signedWith(rsaSigner(RSA_A)),
                        "iss missing"),
                arguments("iss not a string", Mint.token("RS256").claim("iss", 7).signedWith(rsaSigner(RSA_A)),
                        "iss missing or not a string"),
                arguments("untrusted iss",
                        Mint.token("RS256").claim("iss", "https://evil.example.com").signedWith(rsaSigner(RSA_A)),
                        "not trusted for the subscriber role"),
                arguments("iss differing only in case",
                        Mint.token("RS256").claim("iss", "https://A.example.com").signedWith(rsaSigner(RSA_A)),
                        "not trusted"),
                arguments("typ JWT", Mint.token("RS256").header("typ", "JWT").signedWith(rsaSigner(RSA_A)), "typ"),
                arguments("typ application/jwt",
                        Mint.token("RS256").header("typ", "application/jwt").signedWith(rsaSigner(RSA_A)), "typ"),
                arguments("typ missing", Mint.token("RS256").header("typ", null).signedWith(rsaSigner(RSA_A)),
                        "typ missing"),
                arguments("signed with issuer A's key but claiming issuer B",
                        Mint.token("RS256").claim("iss", ISSUER_B).signedWith(rsaSigner(RSA_A)),
                        "signature not verified by any key of issuer \"https://b.example.com\""),
                arguments("jwk header carrying the signer's own key is ignored",
                        Mint.token("RS256").header("jwk", attackerJwk).signedWith(rsaSigner(ATTACKER)),
                        "signature not verified"),
                arguments("x5u header is ignored",
                        Mint.token("RS256").header("x5u", "https://evil.example.com/cert.pem")
                                .signedWith(rsaSigner(ATTACKER)), "signature not verified"),
                arguments("tampered claims", tampered, "signature not verified"),
                arguments("kid naming another key of the issuer",
                        Mint.token("RS256").header("kid", "ec-a").signedWith(rsaSigner(RSA_A)), "no key of issuer"),
                arguments("kid naming no key of the issuer",
                        Mint.token("RS256").header("kid", "rsa-z").signedWith(rsaSigner(RSA_A)), "no key of issuer"),
                arguments("publisher HMAC key presented to the subscriber role",
                        Mint.token("HS256").signedWith(hmac(HMAC_PUBLISHER)), "may verify alg HS256"),
                arguments("oversized token",
                        Mint.token("RS256").claim("pad", "x".repeat(AuthConfig.DEFAULT_MAX_TOKEN_LENGTH))
                                .signedWith(rsaSigner(RSA_A)), "longer than 8192 characters"),
                arguments("crit header", Mint.token("RS256").header("crit", "[\"exp\"]").header("exp", 1)
                        .signedWith(rsaSigner(RSA_A)), "crit"),
                arguments("unsupported alg", Mint.token("HS1").withSignature("c2ln"), "alg \"HS1\" not supported"),
                arguments("ES256K", Mint.token("ES256K").withSignature("c2ln"), "not supported"),
                arguments("duplicate claim names",
                        Mint.token("RS256").rawClaims("{\"iss\":\"" + ISSUER_A + "\",\"aud\":\"" + HUB + "\",\"exp\":"
                                + (now + 60) + ",\"iss\":\"" + ISSUER_A + "\"}").signedWith(rsaSigner(RSA_A)),
                        "duplicate names"),
                arguments("claims an array", Mint.token("RS256").rawClaims("[]").signedWith(rsaSigner(RSA_A)),
                        "not a JSON object"),
                arguments("claims with trailing data",
                        Mint.token("RS256").rawClaims("{\"iss\":\"x\"} {}").signedWith(rsaSigner(RSA_A)),
                        "not valid JSON"),
                arguments("sub not a string", Mint.token("RS256").claim("sub", 42).signedWith(rsaSigner(RSA_A)),
                        "sub not a string"),
                arguments("five parts (JWE)", "aaaa.bbbb.cccc.dddd.eeee", "not a JWS compact serialization"),
                arguments("not base64url", "a+b.c/d.e=f", "not a JWS compact serialization"),
                arguments("empty claims part", validParts[0] + ".." + validParts[2], "not a JWS"),
                arguments("authorization_details defect after a valid detail",
                        Mint.token("RS256").details("[" + detail("[\"subscribe\"]", "[{\"match\":\"*\"}]") + ","
                                + detail("[]", "[{\"match\":\"*\"}]") + "]").signedWith(rsaSigner(RSA_A)),
                        "authorization_details[1].actions"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusesInvalidToken(String name, String token, String reason) {
        assertThatThrownBy(() -> SUBSCRIBERS.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain(token);
                    for (String part : token.split("\\.")) {
                        if (part.length() > 8) {
                            assertThat(e.getMessage()).doesNotContain(part);
                        }
                    }
                    assertThat(e.getStackTrace()).isEmpty();
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void verifiedTokenCarriesIssuerSubjectExpiryAndGrants() throws InvalidTokenException {
        String token = Mint.token("ES256")
                .details("[" + detail("[\"subscribe\"]", "[{\"match\":\"https://example.com/books/1\"}]") + "]")
                .signedWith(ecSigner(EC_A));

        AccessToken accessToken = SUBSCRIBERS.verify(token);

        assertThat(accessToken.issuer()).isEqualTo(ISSUER_A);
        assertThat(accessToken.subject()).hasValue("urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6");
        assertThat(accessToken.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(accessToken.canSubscribe(List.of("https://example.com/books/1"))).isTrue();
        assertThat(accessToken.canSubscribe(List.of("https://example.com/books/2"))).isFalse();
        assertThat(accessToken.canPublish(List.of("https://example.com/books/1"))).isFalse();
        assertThat(accessToken.toString()).doesNotContain(token.split("\\.")[2]);
    }

    @Test
    void fractionalExpiryKeepsItsFraction() throws InvalidTokenException {
        String token = Mint.token("RS256").claim("exp", NOW.getEpochSecond() + 10.25).signedWith(rsaSigner(RSA_A));

        assertThat(SUBSCRIBERS.verify(token).expiresAt()).isEqualTo(NOW.plusSeconds(10).plusMillis(250));
    }

    @Test
    void farFutureExpiryIsClampedToTheLatestInstantInEpochMilliseconds() throws InvalidTokenException {
        for (Object exp : new Object[] {1e300, Long.MAX_VALUE, Long.MAX_VALUE / 1000 + 1}) {
            String token = Mint.token("RS256").claim("exp", exp).signedWith(rsaSigner(RSA_A));

            Instant expiresAt = SUBSCRIBERS.verify(token).expiresAt();
            assertThat(expiresAt).as("exp %s", exp).isEqualTo(AccessToken.NEVER);
            // a stream's close timer is computed in epoch milliseconds: Instant.MAX would overflow it
            assertThat(expiresAt.toEpochMilli()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void publisherRoleUsesOnlyPublisherKeys() throws InvalidTokenException {
        String publisherToken = Mint.token("HS256").signedWith(hmac(HMAC_PUBLISHER));
        String subscriberToken = Mint.token("RS256").signedWith(rsaSigner(RSA_A));

        assertThat(PUBLISHERS.verify(publisherToken).issuer()).isEqualTo(ISSUER_A);
        assertThatThrownBy(() -> PUBLISHERS.verify(subscriberToken))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("no key of issuer \"https://a.example.com\" may verify alg RS256");
        assertThatThrownBy(() -> PUBLISHERS.verify(Mint.token("HS256").claim("iss", ISSUER_B).signedWith(hmac(HMAC_B))))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining("not trusted for the publisher role");
    }

    @Test
    void clockSkewIsConfigurable() throws InvalidTokenException {
        AuthConfig strict = AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(RSA_A.getPublic())))
                .clockSkew(java.time.Duration.ZERO)
                .build();
        try (TokenVerifier verifier = TokenVerifier.create(strict, Role.SUBSCRIBER, FakeMatchers.INSTANCE, Mint.CLOCK)) {
            String justExpired = Mint.token("RS256").claim("exp", NOW.getEpochSecond()).signedWith(rsaSigner(RSA_A));
            String stillValid = Mint.token("RS256").claim("exp", NOW.getEpochSecond() + 1).signedWith(rsaSigner(RSA_A));

            assertThatThrownBy(() -> verifier.verify(justExpired)).hasMessageContaining("expired");
            assertThat(verifier.verify(stillValid).issuer()).isEqualTo(ISSUER_A);
        }
    }

    @Test
    void tokenLengthLimitIsConfigurable() {
        AuthConfig small = AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(RSA_A.getPublic())))
                .maxTokenLength(100)
                .build();
        try (TokenVerifier verifier = TokenVerifier.create(small, Role.SUBSCRIBER, FakeMatchers.INSTANCE, Mint.CLOCK)) {
            assertThatThrownBy(() -> verifier.verify(Mint.token("RS256").signedWith(rsaSigner(RSA_A))))
                    .hasMessage("token longer than 100 characters");
        }
    }
}
