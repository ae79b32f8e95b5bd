package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of an authorization decision: {@link Authorized} with a validated token,
 * {@link Anonymous} (allowed without a token), or {@link Denied} with the HTTP failure to send.
 *
 * <pre>{@code
 * AuthResult result = authorizer.authorizePublish(authorization, cookie, topics);
 * if (result instanceof AuthResult.Denied denied) {
 *     AuthFailure failure = denied.httpFailure();
 *     log.debug("publish refused: {}", denied.reason());
 *     respond(failure.status(), failure.wwwAuthenticate(), failure.body());
 * }
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface AuthResult permits AuthResult.Authorized, AuthResult.Anonymous, AuthResult.Denied {

    /** Whether the operation may proceed. */
    boolean isAllowed();

    /** The validated token, when {@link Authorized}. */
    default Optional<AccessToken> accessToken() {
        return Optional.empty();
    }

    /** The failure, when {@link Denied}. */
    default Optional<AuthFailure> failure() {
        return Optional.empty();
    }

    static AuthResult ofAuthorized(AccessToken token, TokenSource source) {
        return new Authorized(token, source);
    }

    static AuthResult ofAnonymous() {
        return Anonymous.INSTANCE;
    }

    static AuthResult ofDenied(AuthFailure failure, String reason, AuthFailureReason category) {
        return new Denied(failure, reason, category);
    }

    /** Allowed with a validated token presented through {@code source}. Thread-safe (immutable). */
    final class Authorized implements AuthResult {

        private final AccessToken token;
        private final TokenSource source;

        Authorized(AccessToken token, TokenSource source) {
            this.token = requireNonNull(token, "token");
            this.source = requireNonNull(source, "source");
        }

        public AccessToken token() {
            return token;
        }

        /** {@link TokenSource#COOKIE} calls for the publish handler's CSRF origin check. */
        public TokenSource source() {
            return source;
        }

        @Override
        public boolean isAllowed() {
            return true;
        }

        @Override
        public Optional<AccessToken> accessToken() {
            return Optional.of(token);
        }

        @Override
        public String toString() {
            return "Authorized[" + token + ", " + source + "]";
        }
    }

    /** Allowed without a token (anonymous subscriber, or closed-network publishing). Thread-safe (a singleton). */
    final class Anonymous implements AuthResult {

        static final Anonymous INSTANCE = new Anonymous();

        private Anonymous() {
        }

        @Override
        public boolean isAllowed() {
            return true;
        }

        @Override
        public String toString() {
            return "Anonymous";
        }
    }

    /** Refused: send {@link #failure()}; log {@link #reason()} if useful. Thread-safe (immutable). */
    final class Denied implements AuthResult {

        private final AuthFailure failure;
        private final String reason;
        private final AuthFailureReason category;

        Denied(AuthFailure failure, String reason, AuthFailureReason category) {
            this.failure = requireNonNull(failure, "failure");
            this.reason = requireNonNull(reason, "reason");
            this.category = requireNonNull(category, "category");
        }

        /** The reason's category, for metrics (bounded, unlike {@link #reason()}). */
        public AuthFailureReason category() {
            return category;
        }

        /** The HTTP outcome; use {@link AuthResult#failure()} for the optional view. */
        public AuthFailure httpFailure() {
            return failure;
        }

        /** The internal, loggable reason; never contains the token and is never sent to the client. */
        public String reason() {
            return reason;
        }

        @Override
        public boolean isAllowed() {
            return false;
        }

        @Override
        public Optional<AuthFailure> failure() {
            return Optional.of(failure);
        }

        @Override
        public String toString() {
            return "Denied[" + failure + ", " + reason + "]";
        }
    }
}
