package dev.herald.hub.internal.server;

import dev.herald.hub.HubConfig;
import dev.herald.hub.internal.auth.AccessToken;
import dev.herald.hub.internal.auth.AuthConfig;
import dev.herald.hub.internal.auth.AuthFailure;
import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.auth.Authorizer;
import dev.herald.hub.internal.auth.JwsAlgorithm;
import dev.herald.hub.internal.auth.TrustedIssuer;
import dev.herald.hub.internal.auth.VerificationKey;
import dev.herald.hub.internal.dispatch.SubscriberAccess;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@link RequestAuth} on the JWT {@link Authorizer}: reads the {@code Authorization} and
 * {@code Cookie} headers and turns the outcome into what the HTTP layer sends.
 * Thread-safe.
 */
final class HubRequestAuth implements RequestAuth {

    private final Authorizer authorizer;

    private HubRequestAuth(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * The hub's authorization from its configuration: one trusted issuer per role, with the
     * configured publisher key and the subscriber key (defaulting to the publisher key).
     *
     * @throws IllegalArgumentException when a key is unusable (too short, not PEM, wrong algorithm)
     */
    static HubRequestAuth create(HubConfig config, TopicMatcherFactory matchers) {
        AuthConfig.Builder b = AuthConfig.builder(config.jwtAudience()).anonymousSubscribers(config.anonymous());
        if (config.publisherJwtKey() != null) {
            b.publisherIssuer(TrustedIssuer.of(config.jwtIssuer(),
                    key("publisher", config.publisherJwtKey(), config.publisherJwtAlgorithm())));
        }
        String subscriberKey = config.subscriberJwtKey() != null ? config.subscriberJwtKey() : config.publisherJwtKey();
        String subscriberAlg = config.subscriberJwtKey() != null ? config.subscriberJwtAlgorithm()
                : config.publisherJwtAlgorithm();
        if (subscriberKey != null) {
            b.subscriberIssuer(TrustedIssuer.of(config.jwtIssuer(), key("subscriber", subscriberKey, subscriberAlg)));
        }
        return new HubRequestAuth(Authorizer.create(b.build(), matchers));
    }

    private static VerificationKey key(String role, String key, String algorithm) {
        JwsAlgorithm alg;
        try {
            alg = JwsAlgorithm.ofJwaName(algorithm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " JWT algorithm: " + algorithm + " is not supported ("
                    + e.getMessage() + ")");
        }
        try {
            return alg.jwaName().startsWith("HS")
                    ? VerificationKey.ofHmacSecret(key.getBytes(StandardCharsets.UTF_8), Set.of(alg))
                    : VerificationKey.ofPublicKeyPem(key, Set.of(alg));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " JWT key: " + e.getMessage());
        }
    }

    @Override
    public SubscriberAccess authenticateSubscriber(HttpHeaders headers) throws AuthRejection {
        AuthResult r = authorizer.authenticateSubscriber(headers.get(HttpHeaderNames.AUTHORIZATION),
                cookies(headers));
        if (r instanceof AuthResult.Authorized) {
            return new TokenAccess(((AuthResult.Authorized) r).token());
        }
        if (r instanceof AuthResult.Anonymous) {
            return SubscriberAccess.ANONYMOUS;
        }
        throw rejection(((AuthResult.Denied) r).httpFailure());
    }

    @Override
    public void authorizePublish(HttpHeaders headers, List<String> topics) throws AuthRejection {
        AuthResult r = authorizer.authorizePublish(headers.get(HttpHeaderNames.AUTHORIZATION), cookies(headers), topics);
        if (r instanceof AuthResult.Denied) {
            throw rejection(((AuthResult.Denied) r).httpFailure());
        }
    }

    private static String cookies(HttpHeaders headers) {
        List<String> all = headers.getAll(HttpHeaderNames.COOKIE);
        return all.isEmpty() ? null : String.join("; ", all);
    }

    private static AuthRejection rejection(AuthFailure f) {
        return new AuthRejection(HttpResponseStatus.valueOf(f.status()), f.wwwAuthenticate(), f.body());
    }

    /** A verified token's view for dispatch. Immutable and thread-safe. */
    private static final class TokenAccess implements SubscriberAccess {
        private final AccessToken token;

        TokenAccess(AccessToken token) {
            this.token = token;
        }

        @Override
        public boolean canReceivePrivate(List<String> topics) {
            return token.canSubscribe(topics);
        }

        @Override
        public Instant expiresAt() {
            return token.expiresAt();
        }

        @Override
        public String toString() {
            return "token of " + token.subject().orElse("(no sub)");
        }
    }
}
