package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Keys.EC_A;
import static dev.herald.hub.internal.auth.Keys.ecSigner;
import static dev.herald.hub.internal.auth.Mint.HUB;
import static dev.herald.hub.internal.auth.Mint.ISSUER_A;
import static dev.herald.hub.internal.auth.Mint.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Verified tokens are remembered briefly, by digest, without weakening {@code exp} enforcement. */
class VerificationCacheTest {

    private final MutableClock clock = new MutableClock(NOW);

    private TokenVerifier verifier(AuthConfig.Builder builder) {
        return TokenVerifier.create(builder.build(), Role.SUBSCRIBER, FakeMatchers.INSTANCE, clock);
    }

    private static AuthConfig.Builder config() {
        return AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofPublicKey(EC_A.getPublic())));
    }

    @Test
    void identicalTokenIsServedFromTheCache() throws InvalidTokenException {
        try (TokenVerifier verifier = verifier(config())) {
            String token = Mint.token("ES256").signedWith(ecSigner(EC_A));

            assertThat(verifier.verify(token)).isSameAs(verifier.verify(token));
        }
    }

    @Test
    void cachedTokenStillExpires() throws InvalidTokenException {
        try (TokenVerifier verifier = verifier(config().verificationCacheTtl(Duration.ofMinutes(10)))) {
            String token = Mint.token("ES256").claim("exp", NOW.getEpochSecond() + 100).signedWith(ecSigner(EC_A));
            verifier.verify(token);

            clock.advance(Duration.ofSeconds(100 + 30));

            assertThatThrownBy(() -> verifier.verify(token))
                    .isInstanceOf(InvalidTokenException.class)
                    .hasMessageContaining("expired");
        }
    }

    @Test
    void entryLivesAtMostTheTtlThenTheTokenIsVerifiedAgain() throws InvalidTokenException {
        try (TokenVerifier verifier = verifier(config().verificationCacheTtl(Duration.ofSeconds(10)))) {
            String token = Mint.token("ES256").signedWith(ecSigner(EC_A));
            AccessToken first = verifier.verify(token);

            clock.advance(Duration.ofSeconds(11));

            AccessToken second = verifier.verify(token);
            assertThat(second).isNotSameAs(first);
            assertThat(second.issuer()).isEqualTo(ISSUER_A);
        }
    }

    @Test
    void refusalsAreNotCached() {
        try (TokenVerifier verifier = verifier(config())) {
            String early = Mint.token("ES256").claim("nbf", NOW.getEpochSecond() + 60).signedWith(ecSigner(EC_A));
            assertThatThrownBy(() -> verifier.verify(early)).hasMessageContaining("not valid before");

            clock.advance(Duration.ofSeconds(60));

            assertThat(catchVerify(verifier, early)).isNotNull();
        }
    }

    @Test
    void cacheCanBeDisabled() throws InvalidTokenException {
        try (TokenVerifier verifier = verifier(config().verificationCacheSize(0))) {
            String token = Mint.token("ES256").signedWith(ecSigner(EC_A));

            assertThat(verifier.verify(token)).isNotSameAs(verifier.verify(token));
        }
    }

    @Test
    void fullCacheStartsOver() {
        VerificationCache cache = new VerificationCache(2, Duration.ofMinutes(1));
        AccessToken token = AccessToken.of(ISSUER_A, null, NOW.plusSeconds(300), Grants.none());
        cache.put("a", token, NOW);
        cache.put("b", token, NOW);

        cache.put("c", token, NOW);

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("c", NOW)).isSameAs(token);
        assertThat(cache.get("a", NOW)).isNull();
    }

    @Test
    void keyIsADigestNotTheToken() {
        String token = Mint.token("ES256").signedWith(ecSigner(EC_A));

        assertThat(VerificationCache.keyOf(token)).hasSize(32).doesNotContain(token.substring(0, 10));
    }

    private static AccessToken catchVerify(TokenVerifier verifier, String token) {
        try {
            return verifier.verify(token);
        } catch (InvalidTokenException e) {
            throw new AssertionError(e.reason(), e);
        }
    }
}
