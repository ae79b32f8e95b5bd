package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Keys.HMAC_PUBLISHER;
import static dev.herald.hub.internal.auth.Keys.HMAC_SUBSCRIBER;
import static dev.herald.hub.internal.auth.Keys.hmac;
import static dev.herald.hub.internal.auth.Mint.HUB;
import static dev.herald.hub.internal.auth.Mint.ISSUER_A;
import static dev.herald.hub.internal.auth.Mint.METADATA;
import static dev.herald.hub.internal.auth.Mint.detail;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facade end to end: which outcome each request gets, and that no outcome reveals the token. */
class AuthorizerTest {

    static final String COOKIE = AuthConfig.DEFAULT_COOKIE_NAME;
    static final String BOOK = "https://example.com/books/1";
    static final String OTHER = "https://example.com/books/2";

    static final String PUBLISH_BOOK = Mint.token("HS256")
            .details("[" + detail("[\"publish\"]", "[{\"match\":\"" + BOOK + "\"}]") + "]")
            .signedWith(hmac(HMAC_PUBLISHER));
    static final String SUBSCRIBE_BOOK = Mint.token("HS256")
            .details("[" + detail("[\"subscribe\"]", "[{\"match\":\"" + BOOK + "\"}]") + "]")
            .signedWith(hmac(HMAC_SUBSCRIBER));
    static final String EXPIRED_PUBLISHER = Mint.token("HS256").claim("exp", Mint.NOW.getEpochSecond() - 3600)
            .signedWith(hmac(HMAC_PUBLISHER));

    private final List<Authorizer> opened = new ArrayList<>();
    private final List<AuthResult> results = new ArrayList<>();

    @AfterEach
    void closeAndCheckNoTokenLeaked() {
        opened.forEach(Authorizer::close);
        for (AuthResult result : results) {
            for (String token : List.of(PUBLISH_BOOK, SUBSCRIBE_BOOK, EXPIRED_PUBLISHER)) {
                String signature = token.substring(token.lastIndexOf('.') + 1);
                assertThat(result.toString()).doesNotContain(token).doesNotContain(signature);
                result.failure().ifPresent(failure -> assertThat(failure.body() + failure.wwwAuthenticate())
                        .doesNotContain(signature));
            }
        }
    }

    Authorizer authorizer(AuthConfig.Builder builder) {
        Authorizer authorizer = Authorizer.create(builder.build(), FakeMatchers.INSTANCE, Mint.CLOCK);
        opened.add(authorizer);
        return authorizer;
    }

    static AuthConfig.Builder config() {
        return AuthConfig.builder(HUB)
                .resourceMetadataUrl(METADATA)
                .publisherIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofHmacSecret(HMAC_PUBLISHER)))
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofHmacSecret(HMAC_SUBSCRIBER)));
    }

    AuthResult record(AuthResult result) {
        results.add(result);
        return result;
    }

    static void assertDenied(AuthResult result, int status, String wwwAuthenticate) {
        assertThat(result.isAllowed()).isFalse();
        assertThat(result).isInstanceOf(AuthResult.Denied.class);
        AuthFailure failure = ((AuthResult.Denied) result).httpFailure();
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.wwwAuthenticate()).isEqualTo(wwwAuthenticate);
    }

    @Test
    void publishWithoutTokenIsUnauthorizedWithoutErrorCode() {
        AuthResult result = record(authorizer(config()).authorizePublish(null, null, List.of(BOOK)));

        assertDenied(result, 401, "Bearer resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void publishWithMalformedAuthorizationIsBadRequest() {
        AuthResult result = record(authorizer(config()).authorizePublish("Bearer  " + PUBLISH_BOOK, null, List.of(BOOK)));

        assertDenied(result, 400, "Bearer error=\"invalid_request\"");
    }

    @Test
    void publishWithInvalidTokenIsInvalidToken() {
        AuthResult result = record(authorizer(config()).authorizePublish("Bearer " + EXPIRED_PUBLISHER, null,
                List.of(BOOK)));

        assertDenied(result, 401, "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA + "\"");
        assertThat(((AuthResult.Denied) result).reason()).contains("expired");
    }

    @Test
    void publishWithSubscriberTokenIsInvalidToken() {
        AuthResult result = record(authorizer(config()).authorizePublish("Bearer " + SUBSCRIBE_BOOK, null,
                List.of(BOOK)));

        assertDenied(result, 401, "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void publishNotGrantedOnEveryTopicIsInsufficientScope() {
        AuthResult result = record(authorizer(config()).authorizePublish("Bearer " + PUBLISH_BOOK, null,
                List.of(BOOK, OTHER)));

        assertDenied(result, 403, "Bearer error=\"insufficient_scope\", resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void publishGrantedOnEveryTopicIsAuthorized() {
        AuthResult result = record(authorizer(config()).authorizePublish("Bearer " + PUBLISH_BOOK, null,
                List.of(BOOK)));

        assertThat(result).isInstanceOf(AuthResult.Authorized.class);
        assertThat(((AuthResult.Authorized) result).source()).isEqualTo(TokenSource.AUTHORIZATION_HEADER);
        assertThat(result.accessToken()).get().extracting(AccessToken::issuer).isEqualTo(ISSUER_A);
    }

    @Test
    void publishWithCookieTokenIsAuthorizedAndSaysSo() {
        AuthResult result = record(authorizer(config()).authorizePublish(null, "x=y; " + COOKIE + "=" + PUBLISH_BOOK,
                List.of(BOOK)));

        assertThat(result).isInstanceOf(AuthResult.Authorized.class);
        assertThat(((AuthResult.Authorized) result).source()).isEqualTo(TokenSource.COOKIE);
    }

    @Test
    void authorizationHeaderIsUsedAndCookieIgnored() {
        AuthResult result = record(authorizer(config()).authorizePublish("Bearer " + EXPIRED_PUBLISHER,
                COOKIE + "=" + PUBLISH_BOOK, List.of(BOOK)));

        assertDenied(result, 401, "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void authenticatePublisherDoesNotCheckTopics() {
        Authorizer authorizer = authorizer(config());
        AuthResult result = record(authorizer.authenticatePublisher("Bearer " + PUBLISH_BOOK, null));

        assertThat(result.isAllowed()).isTrue();
        assertThat(result.accessToken().orElseThrow().canPublish(List.of(OTHER))).isFalse();
        assertThat(authorizer.insufficientScope().status()).isEqualTo(403);
    }

    @Test
    void closedNetworkModeLetsAnyonePublish() {
        Authorizer authorizer = authorizer(config().publishRequiresToken(false));

        assertThat(record(authorizer.authorizePublish(null, null, List.of(BOOK))))
                .isInstanceOf(AuthResult.Anonymous.class);
        assertThat(record(authorizer.authorizePublish("garbage", null, List.of(BOOK))).isAllowed()).isTrue();
    }

    @Test
    void subscriberWithoutTokenIsRefusedByDefault() {
        AuthResult result = record(authorizer(config()).authenticateSubscriber(null, null));

        assertDenied(result, 401, "Bearer resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void subscriberWithoutTokenIsAnonymousWhenAllowed() {
        AuthResult result = record(authorizer(config().anonymousSubscribers(true)).authenticateSubscriber(null,
                "unrelated=1"));

        assertThat(result).isInstanceOf(AuthResult.Anonymous.class);
        assertThat(result.isAllowed()).isTrue();
        assertThat(result.accessToken()).isEmpty();
    }

    @Test
    void invalidSubscriberTokenNeverFallsBackToAnonymous() {
        Authorizer authorizer = authorizer(config().anonymousSubscribers(true));

        assertDenied(record(authorizer.authenticateSubscriber("Bearer " + PUBLISH_BOOK, null)), 401,
                "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA + "\"");
        assertDenied(record(authorizer.authenticateSubscriber(null, COOKIE + "=" + PUBLISH_BOOK)), 401,
                "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA + "\"");
        assertDenied(record(authorizer.authenticateSubscriber("Bearer", null)), 400,
                "Bearer error=\"invalid_request\"");
    }

    @Test
    void validSubscriberTokenIsAuthorizedWithItsGrants() {
        AuthResult result = record(authorizer(config()).authenticateSubscriber(null, COOKIE + "=" + SUBSCRIBE_BOOK));

        AccessToken token = result.accessToken().orElseThrow();
        assertThat(token.canSubscribe(List.of(OTHER, BOOK))).isTrue();
        assertThat(token.canSubscribe(List.of(OTHER))).isFalse();
        assertThat(token.expiresAt()).isEqualTo(Mint.NOW.plusSeconds(300));
    }

    @Test
    void cookieCanBeTurnedOff() {
        AuthResult result = record(authorizer(config().cookieAuthentication(false))
                .authenticateSubscriber(null, COOKIE + "=" + SUBSCRIBE_BOOK));

        assertDenied(result, 401, "Bearer resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void challengesOmitResourceMetadataWhenNotConfigured() {
        Authorizer authorizer = authorizer(AuthConfig.builder(HUB)
                .subscriberIssuer(TrustedIssuer.of(ISSUER_A, VerificationKey.ofHmacSecret(HMAC_SUBSCRIBER))));

        assertDenied(record(authorizer.authenticateSubscriber(null, null)), 401, "Bearer");
        assertDenied(record(authorizer.authorizePublish("Bearer " + PUBLISH_BOOK, null, List.of(BOOK))), 401,
                "Bearer error=\"invalid_token\"");
    }
}
