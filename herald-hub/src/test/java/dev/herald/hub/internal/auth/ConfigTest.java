package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Mint.HUB;
import static dev.herald.hub.internal.auth.Mint.ISSUER_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link AuthConfig}, {@link TrustedIssuer} and {@link JwksSettings}: defaults and refused settings. */
class ConfigTest {

    @Test
    void defaults() {
        AuthConfig config = AuthConfig.builder(HUB).build();

        assertThat(config.resourceIdentifier()).isEqualTo(HUB);
        assertThat(config.resourceMetadataUrl()).isEmpty();
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxTokenLength()).isEqualTo(8192);
        assertThat(config.maxAuthorizationDetails()).isEqualTo(32);
        assertThat(config.maxTopicsPerDetail()).isEqualTo(64);
        assertThat(config.maxPatternLength()).isEqualTo(2048);
        assertThat(config.cookieName()).isEqualTo("__Secure-mercure_access_token");
        assertThat(config.cookieAuthentication()).isTrue();
        assertThat(config.anonymousSubscribers()).isFalse();
        assertThat(config.publishRequiresToken()).isTrue();
        assertThat(config.issuers(Role.PUBLISHER)).isEmpty();
        assertThat(config.verificationCacheSize()).isEqualTo(1024);
        assertThat(config.verificationCacheTtl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesOutOfRangeValues() {
        AuthConfig.Builder builder = AuthConfig.builder(HUB);

        assertThatThrownBy(() -> builder.maxAuthorizationDetails(0))
                .hasMessage("maxAuthorizationDetails: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.maxTopicsPerDetail(-1)).hasMessage("maxTopicsPerDetail: -1 (expected: > 0)");
        assertThatThrownBy(() -> builder.maxPatternLength(0)).hasMessage("maxPatternLength: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.maxTokenLength(0)).hasMessage("maxTokenLength: 0 (expected: > 0)");
        assertThatThrownBy(() -> builder.clockSkew(Duration.ofMinutes(6)))
                .hasMessage("clockSkew: PT6M (expected: >= 0 and <= PT5M)");
        assertThatThrownBy(() -> builder.clockSkew(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.cookieName("a b")).hasMessageContaining("cookie-name token");
        assertThatThrownBy(() -> builder.resourceMetadataUrl("/relative")).hasMessageContaining("absolute URL");
        assertThatThrownBy(() -> builder.resourceMetadataUrl("https://x.example/\r\nX: y"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.verificationCacheSize(-1))
                .hasMessage("verificationCacheSize: -1 (expected: >= 0)");
        assertThatThrownBy(() -> builder.verificationCacheTtl(Duration.ZERO))
                .hasMessage("verificationCacheTtl: PT0S (expected: > 0 and <= PT10M)");
        assertThatThrownBy(() -> AuthConfig.builder("")).hasMessageContaining("resourceIdentifier");
        assertThatThrownBy(() -> AuthConfig.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("resourceIdentifier");
    }

    @Test
    void refusesTheSameIssuerTwiceInOneRoleButAllowsItInBoth() {
        TrustedIssuer publisher = TrustedIssuer.of(ISSUER_A, VerificationKey.ofHmacSecret(Keys.secret(32)));
        TrustedIssuer subscriber = TrustedIssuer.of(ISSUER_A, VerificationKey.ofHmacSecret(Keys.secret(32)));
        AuthConfig config = AuthConfig.builder(HUB).publisherIssuer(publisher).subscriberIssuer(subscriber).build();

        assertThat(config.issuers(Role.PUBLISHER)).containsEntry(ISSUER_A, publisher);
        assertThat(config.issuers(Role.SUBSCRIBER)).containsEntry(ISSUER_A, subscriber);
        assertThatThrownBy(() -> AuthConfig.builder(HUB).publisherIssuer(publisher).publisherIssuer(subscriber))
                .hasMessageContaining("trusted twice for the publisher role");
    }

    @Test
    void issuerNeedsAKey() {
        assertThatThrownBy(() -> TrustedIssuer.builder(ISSUER_A).build())
                .hasMessage("issuer https://a.example.com: no key (expected: a key or a JWK Set)");
        assertThatThrownBy(() -> TrustedIssuer.builder("")).hasMessage("issuer: \"\" (expected: non-empty)");
    }

    @Test
    void jwksDefaults() {
        JwksSettings settings = JwksSettings.ofUrl(URI.create("https://as.example.com/jwks"));

        assertThat(settings.cacheTimeToLive()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.rateLimitInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.algorithms()).doesNotContain(JwsAlgorithm.HS256, JwsAlgorithm.HS384, JwsAlgorithm.HS512)
                .contains(JwsAlgorithm.RS256, JwsAlgorithm.ES256, JwsAlgorithm.EDDSA);
        assertThat(settings.refreshAheadTime()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jwksRefusesInsecureUrlsSymmetricAlgorithmsAndInconsistentTimes() {
        assertThatThrownBy(() -> JwksSettings.ofUrl(URI.create("http://as.example.com/jwks")))
                .hasMessageContaining("expected: https, or http on a loopback host");
        assertThatThrownBy(() -> JwksSettings.ofUrl(URI.create("http://127.0.0.1.example.com/jwks")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(JwksSettings.ofUrl(URI.create("http://[::1]:8080/jwks")).url().getPort()).isEqualTo(8080);
        assertThatThrownBy(() -> JwksSettings.builder(URI.create("https://as.example.com/jwks"))
                .algorithms(Set.of(JwsAlgorithm.HS256))).hasMessageContaining("asymmetric algorithms only");
        assertThatThrownBy(() -> JwksSettings.builder(URI.create("https://as.example.com/jwks"))
                .cacheTimeToLive(Duration.ofSeconds(10)).build())
                .hasMessage("rateLimitInterval: PT30S (expected: < cacheTimeToLive PT10S)");
    }

    @Test
    void shortTimeToLiveShortensRefreshAhead() {
        JwksSettings settings = JwksSettings.builder(URI.create("https://as.example.com/jwks"))
                .cacheTimeToLive(Duration.ofSeconds(20)).refreshTimeout(Duration.ofSeconds(4))
                .rateLimitInterval(Duration.ofSeconds(5)).build();

        assertThat(settings.refreshAheadTime()).isEqualTo(Duration.ofSeconds(8));
    }
}
