package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.TopicMatcherFactory;
import java.time.Clock;
import java.util.List;

/**
 * The hub's authorization entry point (Mercure §"Authorization"): takes the raw {@code Authorization}
 * and {@code Cookie} header values of a request and decides, returning an {@link AuthResult}.
 *
 * <ul>
 *   <li>Malformed presentation → 400 {@code invalid_request}; no token where one is required → 401
 *       without error code; a token failing validation → 401 {@code invalid_token} (never a
 *       fallback to anonymous access: a presented token is always validated); a valid token not
 *       granting the operation → 403 {@code insufficient_scope}.
 *   <li>Publisher tokens are verified with the publisher issuers' keys only, subscriber tokens with
 *       the subscriber issuers' keys only.
 *   <li>With {@link AuthConfig#publishRequiresToken()} off (closed-network mode), publishing is
 *       {@link AuthResult.Anonymous} and whatever was presented is not examined.
 * </ul>
 *
 * Thread-safe; one instance serves the whole hub. Calls may block on a JWK Set fetch when an issuer
 * uses one (see {@link JwksSettings}): call from a thread that may block, or accept that latency.
 * {@link #close()} stops JWK Set refreshes.
 */
public final class Authorizer implements AutoCloseable {

    private final AuthConfig config;
    private final TokenExtractor extractor;
    private final TokenVerifier publishers;
    private final TokenVerifier subscribers;
    private final AuthFailure missingToken;
    private final AuthFailure invalidToken;
    private final AuthFailure insufficientScope;
    private final AuthFailure invalidRequest;
    private final AuthFailure urlTokenRefused;

    private Authorizer(AuthConfig config, TopicMatcherFactory matchers, Clock clock) {
        this.config = config;
        this.extractor = TokenExtractor.of(config);
        this.publishers = TokenVerifier.create(config, Role.PUBLISHER, matchers, clock);
        this.subscribers = TokenVerifier.create(config, Role.SUBSCRIBER, matchers, clock);
        String metadata = config.resourceMetadataUrl().orElse(null);
        this.missingToken = AuthFailure.missingToken(metadata);
        this.invalidToken = AuthFailure.invalidToken(metadata);
        this.insufficientScope = AuthFailure.insufficientScope(metadata);
        this.invalidRequest = AuthFailure.invalidRequest();
        this.urlTokenRefused = invalidRequest.withBody("A token in the URL (the authorization query parameter) is"
                + " accepted only by a hub in pre-1.0 compatibility mode (--compat=0.x): present it in the"
                + " Authorization header or the cookie.");
    }

    /** An authorizer for {@code config}, compiling token topic matchers with {@code matchers}, on the system clock. */
    public static Authorizer create(AuthConfig config, TopicMatcherFactory matchers) {
        return create(config, matchers, Clock.systemUTC());
    }

    /** As {@link #create(AuthConfig, TopicMatcherFactory)}, reading time from {@code clock}. */
    public static Authorizer create(AuthConfig config, TopicMatcherFactory matchers, Clock clock) {
        requireNonNull(config, "config");
        requireNonNull(matchers, "matchers");
        requireNonNull(clock, "clock");
        return new Authorizer(config, matchers, clock);
    }

    public AuthConfig config() {
        return config;
    }

    /**
     * Whether a publish of an update with {@code topics} (canonical first, then alternates) may
     * proceed: the token must grant {@code publish} on every one of them (§"Publishers").
     *
     * @param authorizationHeader the {@code Authorization} field value, {@code null} if absent
     * @param cookieHeader the {@code Cookie} field value(s), {@code null} if absent
     */
    public AuthResult authorizePublish(String authorizationHeader, String cookieHeader, List<String> topics) {
        requireNonNull(topics, "topics");
        AuthResult authenticated = authenticatePublisher(authorizationHeader, cookieHeader);
        if (!(authenticated instanceof AuthResult.Authorized)) {
            return authenticated;
        }
        AuthResult.Authorized authorized = (AuthResult.Authorized) authenticated;
        if (!authorized.token().canPublish(topics)) {
            return AuthResult.ofDenied(insufficientScope, "token does not grant publish on every topic",
                    AuthFailureReason.INSUFFICIENT_SCOPE);
        }
        return authorized;
    }

    /**
     * The publisher's token, validated but not yet checked against topics (for handlers that
     * authenticate before reading the body); {@link AuthResult.Anonymous} in closed-network mode.
     * Check the topics with {@link AccessToken#canPublish(List)} and answer
     * {@link #insufficientScope()} if they are not granted.
     */
    public AuthResult authenticatePublisher(String authorizationHeader, String cookieHeader) {
        return authenticatePublisher(authorizationHeader, List.of(), cookieHeader);
    }

    /**
     * As {@link #authenticatePublisher(String, String)}, with the values of the request's
     * {@code authorization} query parameter (pre-1.0; see {@link TokenExtractor}).
     */
    public AuthResult authenticatePublisher(String authorizationHeader, List<String> queryTokens, String cookieHeader) {
        if (!config.publishRequiresToken()) {
            return AuthResult.ofAnonymous();
        }
        return authenticate(publishers, extractor.extract(authorizationHeader, queryTokens, cookieHeader), false);
    }

    /**
     * The subscriber's token, validated; {@link AuthResult.Anonymous} when none is presented and
     * anonymous subscribers are allowed. Which private updates a token lets through is then decided
     * per update with {@link AccessToken#canSubscribe(List)}; the connection must be closed by
     * {@link AccessToken#expiresAt()}.
     */
    public AuthResult authenticateSubscriber(String authorizationHeader, String cookieHeader) {
        return authenticateSubscriber(authorizationHeader, List.of(), cookieHeader);
    }

    /**
     * As {@link #authenticateSubscriber(String, String)}, with the values of the request's
     * {@code authorization} query parameter (pre-1.0; see {@link TokenExtractor}).
     */
    public AuthResult authenticateSubscriber(String authorizationHeader, List<String> queryTokens, String cookieHeader) {
        return authenticate(subscribers, extractor.extract(authorizationHeader, queryTokens, cookieHeader),
                config.anonymousSubscribers());
    }

    /** The 403 {@code insufficient_scope} failure, for checks the hub makes after authentication. */
    public AuthFailure insufficientScope() {
        return insufficientScope;
    }

    /** The 401 failure without error code, for operations that require a token when none was presented. */
    public AuthFailure missingToken() {
        return missingToken;
    }

    @Override
    public void close() {
        publishers.close();
        subscribers.close();
    }

    private AuthResult authenticate(TokenVerifier verifier, TokenPresentation presented, boolean anonymousAllowed) {
        switch (presented.kind()) {
            case ABSENT:
                return anonymousAllowed
                        ? AuthResult.ofAnonymous()
                        : AuthResult.ofDenied(missingToken, "no access token presented", AuthFailureReason.MISSING_TOKEN);
            case MALFORMED:
                String problem = presented.problem().orElse("malformed presentation");
                return AuthResult.ofDenied(problem.equals(TokenExtractor.URL_TOKEN_REFUSED) ? urlTokenRefused
                        : invalidRequest, problem, AuthFailureReason.INVALID_REQUEST);
            default:
                TokenSource source = presented.source().orElseThrow();
                try {
                    return AuthResult.ofAuthorized(verifier.verify(presented.token().orElseThrow()), source);
                } catch (InvalidTokenException e) {
                    return AuthResult.ofDenied(invalidToken, e.reason(),
                            e.expired() ? AuthFailureReason.EXPIRED_TOKEN : AuthFailureReason.INVALID_TOKEN);
                }
        }
    }
}
