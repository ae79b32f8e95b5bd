package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Keys.HMAC_SUBSCRIBER;
import static dev.herald.hub.internal.auth.Keys.RSA_A;
import static dev.herald.hub.internal.auth.Keys.hmac;
import static dev.herald.hub.internal.auth.Keys.rsaSigner;
import static dev.herald.hub.internal.auth.Mint.HUB;
import static dev.herald.hub.internal.auth.Mint.ISSUER_A;
import static dev.herald.hub.internal.auth.Mint.NOW;
import static dev.herald.hub.internal.auth.Mint.detail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.herald.hub.internal.topic.TopicMatchers;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pre-1.0 tokens in compatibility mode (Mercure appendix "Changes from Pre-Standardization
 * Deployments"): any signed JWT with the {@code mercure} claim, whose {@code publish} and
 * {@code subscribe} selectors are URI Templates — and every 1.0 check that still applies.
 */
class Mercure0xTokenTest {

    static final AuthConfig CONFIG = AuthConfig.builder(HUB).mercure0x(true)
            .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(RSA_A.getPublic()),
                    VerificationKey.ofHmacSecret(HMAC_SUBSCRIBER)))
            .build();
    static final TopicMatchers MATCHERS = TopicMatchers.of(HUB);
    static final TokenVerifier COMPAT = TokenVerifier.create(CONFIG, Role.SUBSCRIBER, MATCHERS, Mint.CLOCK);
    static final TokenVerifier STRICT = TokenVerifier.create(AuthConfig.builder(HUB)
            .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(RSA_A.getPublic()))).build(),
            Role.SUBSCRIBER, MATCHERS, Mint.CLOCK);

    static final String CLAIM = "{\"publish\":[\"https://example.com/books/{id}\"],"
            + "\"subscribe\":[\"https://example.com/users/kevin/{+rest}\",\"https://example.com/news\"],"
            + "\"payload\":{\"user\":\"https://example.com/users/kevin\"}}";

    @AfterAll
    static void close() {
        COMPAT.close();
        STRICT.close();
    }

    /** A pre-1.0 token: no typ, no aud, the mercure claim; issuer A, RS256, valid five minutes. */
    static Mint legacy() {
        return Mint.token("RS256").header("typ", null).claim("aud", null).claim("mercure", CLAIM);
    }

    static Stream<Arguments> acceptedLegacyForms() {
        return Stream.of(
                arguments("no typ, no aud", legacy().signedWith(rsaSigner(RSA_A))),
                arguments("typ JWT", legacy().header("typ", "JWT").signedWith(rsaSigner(RSA_A))),
                arguments("typ application/jwt", legacy().header("typ", "application/jwt").signedWith(rsaSigner(RSA_A))),
                arguments("aud naming this hub", legacy().claim("aud", HUB).signedWith(rsaSigner(RSA_A))),
                arguments("HS256 with the issuer's secret", Mint.token("HS256").header("typ", null).claim("aud", null)
                        .claim("mercure", CLAIM).signedWith(hmac(HMAC_SUBSCRIBER))),
                arguments("at+jwt with the mercure claim", Mint.token("RS256").claim("mercure", CLAIM)
                        .signedWith(rsaSigner(RSA_A))),
                // as Symfony's Mercure component and API Platform mint them, and pre-1.0 hubs accepted them
                arguments("no iss: the role's only issuer", legacy().claim("iss", null).signedWith(rsaSigner(RSA_A))),
                arguments("no iss, typ JWT, HS256", Mint.token("HS256").header("typ", "JWT").claim("aud", null)
                        .claim("iss", null).claim("mercure", CLAIM).signedWith(hmac(HMAC_SUBSCRIBER))),
                arguments("no exp", legacy().claim("exp", null).signedWith(rsaSigner(RSA_A))),
                arguments("neither iss nor exp", legacy().claim("iss", null).claim("exp", null)
                        .signedWith(rsaSigner(RSA_A))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedLegacyForms")
    void acceptsPreOneTokensAndTakesTheirGrantsFromTheMercureClaim(String name, String token) throws Exception {
        AccessToken t = COMPAT.verify(token);

        assertThat(t.issuer()).isEqualTo(ISSUER_A);
        assertThat(t.canPublish(List.of("https://example.com/books/1"))).isTrue();
        assertThat(t.canPublish(List.of("https://example.com/books/1", "https://example.com/news"))).isFalse();
        assertThat(t.canSubscribe(List.of("https://example.com/users/kevin/books/1"))).isTrue();
        assertThat(t.canSubscribe(List.of("https://example.com/news"))).isTrue();
        assertThat(t.canSubscribe(List.of("https://example.com/users/alice/books/1"))).isFalse();
        assertThat(t.canSubscribe(List.of("https://example.com/books/1"))).isFalse(); // publish does not imply subscribe
        // mercure.payload belongs to every subscription, as with pre-1.0 hubs
        assertThat(t.payloadFor("https://example.com/news")).hasValue("{\"user\":\"https://example.com/users/kevin\"}");
        assertThat(t.payloadFor("https://example.com/other")).hasValue("{\"user\":\"https://example.com/users/kevin\"}");
    }

    static Stream<Arguments> refusedLegacyForms() {
        long now = NOW.getEpochSecond();
        return Stream.of(
                arguments("no typ and no mercure claim", legacy().claim("mercure", null).signedWith(rsaSigner(RSA_A)),
                        "typ missing without a mercure claim"),
                arguments("typ JWT without the mercure claim but with authorization_details",
                        legacy().header("typ", "JWT").claim("mercure", null).claim("aud", HUB)
                                .details("[" + detail("[\"subscribe\"]", "[{\"match\":\"*\"}]") + "]")
                                .signedWith(rsaSigner(RSA_A)), "typ \"JWT\" without a mercure claim"),
                arguments("a token typed for another purpose", legacy().header("typ", "dpop+jwt")
                        .signedWith(rsaSigner(RSA_A)), "typ \"dpop+jwt\" (expected: at+jwt or JWT)"),
                arguments("aud naming another hub", legacy().claim("aud", "https://other.example.com/.well-known/mercure")
                        .signedWith(rsaSigner(RSA_A)), "aud does not contain"),
                arguments("at+jwt without aud", Mint.token("RS256").claim("aud", null).claim("mercure", CLAIM)
                        .signedWith(rsaSigner(RSA_A)), "aud missing"),
                arguments("expired", legacy().claim("exp", now - 31).signedWith(rsaSigner(RSA_A)), "expired"),
                arguments("an exp that is not a number", legacy().claim("exp", "never").signedWith(rsaSigner(RSA_A)),
                        "exp is not a number"),
                arguments("untrusted iss", legacy().claim("iss", "https://evil.example.com").signedWith(rsaSigner(RSA_A)),
                        "not trusted"),
                arguments("an iss that is not a string", legacy().claim("iss", 7).signedWith(rsaSigner(RSA_A)),
                        "iss missing or not a string"),
                arguments("signed by another key", legacy().signedWith(rsaSigner(Keys.RSA_B)), "signature not verified"),
                arguments("no iss, signed by a key of no trusted issuer", legacy().claim("iss", null)
                        .signedWith(rsaSigner(Keys.RSA_B)), "signature not verified by any key of issuer \"" + ISSUER_A),
                // the relaxations are for pre-1.0 tokens only: a token with anything of 1.0 keeps its rules
                arguments("at+jwt without iss", Mint.token("RS256").claim("iss", null).claim("mercure", CLAIM)
                        .signedWith(rsaSigner(RSA_A)), "iss missing or not a string"),
                arguments("at+jwt without exp", Mint.token("RS256").claim("exp", null).claim("mercure", CLAIM)
                        .signedWith(rsaSigner(RSA_A)), "exp missing"),
                arguments("no iss beside authorization_details", legacy().claim("iss", null).claim("aud", HUB)
                        .details("[" + detail("[\"subscribe\"]", "[{\"match\":\"*\"}]") + "]")
                        .signedWith(rsaSigner(RSA_A)), "iss missing or not a string"),
                arguments("no exp beside authorization_details", legacy().claim("exp", null).claim("aud", HUB)
                        .details("[" + detail("[\"subscribe\"]", "[{\"match\":\"*\"}]") + "]")
                        .signedWith(rsaSigner(RSA_A)), "exp missing"),
                arguments("alg none", legacy().header("alg", "none").withSignature(""), "unsigned"),
                arguments("mercure claim not an object", legacy().claim("mercure", "[\"*\"]").signedWith(rsaSigner(RSA_A)),
                        "mercure claim is not an object"),
                arguments("publish not an array", legacy().claim("mercure", "{\"publish\":{\"a\":1}}")
                        .signedWith(rsaSigner(RSA_A)), "mercure.publish is not an array"),
                arguments("a selector not a string", legacy().claim("mercure", "{\"subscribe\":[{\"match\":\"*\"}]}")
                        .signedWith(rsaSigner(RSA_A)), "mercure.subscribe[0] is not a non-empty string"),
                arguments("an empty selector", legacy().claim("mercure", "{\"subscribe\":[\"\"]}")
                        .signedWith(rsaSigner(RSA_A)), "mercure.subscribe[0] is not a non-empty string"),
                arguments("a selector with a control character", legacy()
                        .claim("mercure", "{\"publish\":[\"a\\nb\"]}").signedWith(rsaSigner(RSA_A)),
                        "mercure.publish[0] is not a valid topic selector"),
                arguments("a template too complex to match", legacy()
                        .claim("mercure", "{\"subscribe\":[\"" + "{a}".repeat(9) + "\"]}").signedWith(rsaSigner(RSA_A)),
                        "mercure.subscribe[0] is not a valid topic selector"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedLegacyForms")
    void refusesWhatOneZeroWouldRefuseAndMalformedClaims(String name, String token, String reason) {
        assertThatThrownBy(() -> COMPAT.verify(token)).isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aPreOneTokenWithoutIssOrExpIsTheOnlyIssuersAndNeverExpires() throws Exception {
        AccessToken t = COMPAT.verify(legacy().claim("iss", null).claim("exp", null).signedWith(rsaSigner(RSA_A)));

        assertThat(t.issuer()).isEqualTo(ISSUER_A);
        assertThat(t.expiresAt()).isEqualTo(AccessToken.NEVER);
        assertThat(t.expiresAt().toEpochMilli()).as("safe for time arithmetic").isEqualTo(Long.MAX_VALUE);
        // an exp it carries still counts
        assertThat(COMPAT.verify(legacy().claim("iss", null).signedWith(rsaSigner(RSA_A))).expiresAt())
                .isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void aPreOneTokenWithoutIssIsRefusedWhenTheRoleTrustsSeveralIssuers() {
        AuthConfig two = AuthConfig.builder(HUB).mercure0x(true)
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(RSA_A.getPublic())))
                .subscriberIssuer(TrustedIssuer.of(Mint.ISSUER_B, VerificationKey.ofHmacSecret(HMAC_SUBSCRIBER)))
                .build();
        try (TokenVerifier verifier = TokenVerifier.create(two, Role.SUBSCRIBER, MATCHERS, Mint.CLOCK)) {
            // signed by issuer A's key: trying every issuer's keys would accept it, and pool keys across issuers
            assertThatThrownBy(() -> verifier.verify(legacy().claim("iss", null).signedWith(rsaSigner(RSA_A))))
                    .isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("iss missing (a pre-1.0 token may omit it only when the subscriber role"
                            + " trusts a single issuer; 2 are trusted)");
        }
    }

    @Test
    void boundsTheSelectorsOfOneTokenLikeTheTopicsOfItsAuthorizationDetails() throws Exception {
        AuthConfig small = AuthConfig.builder(HUB).mercure0x(true).maxAuthorizationDetails(2).maxTopicsPerDetail(2)
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(RSA_A.getPublic()))).build();
        try (TokenVerifier verifier = TokenVerifier.create(small, Role.SUBSCRIBER, MATCHERS, Mint.CLOCK)) {
            verifier.verify(legacy().claim("mercure", "{\"publish\":[\"a\",\"b\"],\"subscribe\":[\"c\",\"d\"]}")
                    .signedWith(rsaSigner(RSA_A)));
            assertThatThrownBy(() -> verifier.verify(legacy()
                    .claim("mercure", "{\"publish\":[\"a\",\"b\",\"c\"],\"subscribe\":[\"d\",\"e\"]}")
                    .signedWith(rsaSigner(RSA_A)))).isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("more than 4 selectors");
            assertThatThrownBy(() -> verifier.verify(legacy().claim("mercure", "{\"subscribe\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}")
                    .signedWith(rsaSigner(RSA_A)))).hasMessageContaining("more than 4 selectors");
        }
    }

    @Test
    void authorizationDetailsWinOverTheMercureClaim() throws Exception {
        AccessToken t = COMPAT.verify(Mint.token("RS256").claim("mercure", "{\"subscribe\":[\"*\"]}")
                .details("[" + detail("[\"subscribe\"]", "[{\"match\":\"https://example.com/a\"}]") + "]")
                .signedWith(rsaSigner(RSA_A)));

        assertThat(t.canSubscribe(List.of("https://example.com/a"))).isTrue();
        assertThat(t.canSubscribe(List.of("https://example.com/b"))).isFalse();
    }

    @Test
    void nullMembersGrantNothingAsWithPreOneHubs() throws Exception {
        AccessToken t = COMPAT.verify(legacy().claim("mercure", "{\"publish\":null,\"subscribe\":[\"*\"],\"payload\":null}")
                .signedWith(rsaSigner(RSA_A)));

        assertThat(t.canPublish(List.of("x"))).isFalse();
        assertThat(t.canSubscribe(List.of("x"))).isTrue();
        assertThat(t.payloadFor("x")).isEmpty();
        assertThat(COMPAT.verify(legacy().claim("mercure", "{}").signedWith(rsaSigner(RSA_A))).grants().isEmpty()).isTrue();
    }

    @Test
    void withoutCompatibilityPreOneTokensAreRefusedAndTheMercureClaimGrantsNothing() throws Exception {
        assertThatThrownBy(() -> STRICT.verify(legacy().signedWith(rsaSigner(RSA_A))))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("typ missing (expected: at+jwt)");
        assertThatThrownBy(() -> STRICT.verify(legacy().header("typ", "JWT").signedWith(rsaSigner(RSA_A))))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("(expected: at+jwt)");
        AccessToken t = STRICT.verify(Mint.token("RS256").claim("mercure", CLAIM).signedWith(rsaSigner(RSA_A)));
        assertThat(t.grants().isEmpty()).isTrue();
        assertThat(t.payloadFor("https://example.com/news")).isEmpty();
        assertThatThrownBy(() -> STRICT.verify(legacy().header("typ", "at+jwt").claim("aud", HUB).claim("iss", null)
                .signedWith(rsaSigner(RSA_A)))).hasMessageContaining("iss missing or not a string");
        assertThatThrownBy(() -> STRICT.verify(legacy().header("typ", "at+jwt").claim("aud", HUB).claim("exp", null)
                .signedWith(rsaSigner(RSA_A)))).hasMessageContaining("exp missing");
    }
}
