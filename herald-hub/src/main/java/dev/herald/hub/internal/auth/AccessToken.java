package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A validated access token: who issued it, whom it is about, until when it holds, and what it
 * grants. Holds no copy of the token string.
 *
 * <p>A subscriber connection established with a token MUST be closed no later than
 * {@link #expiresAt()} (Mercure §"Subscribers").
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessToken {

    /**
     * The {@link #expiresAt()} of a token that never expires (a pre-1.0 token without {@code exp}), and
     * the latest one a token may have: the last instant in epoch milliseconds, so that time
     * arithmetic on it cannot overflow.
     */
    public static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final String issuer;
    private final String subject;
    private final Instant expiresAt;
    private final Grants grants;

    private AccessToken(String issuer, String subject, Instant expiresAt, Grants grants) {
        this.issuer = issuer;
        this.subject = subject;
        this.expiresAt = expiresAt;
        this.grants = grants;
    }

    /** A token of {@code issuer} about {@code subject} (may be {@code null}: {@code sub} is an issuer obligation). */
    static AccessToken of(String issuer, String subject, Instant expiresAt, Grants grants) {
        return new AccessToken(requireNonNull(issuer, "issuer"), subject, requireNonNull(expiresAt, "expiresAt"),
                requireNonNull(grants, "grants"));
    }

    /** The {@code iss} claim, equal to a trusted issuer's identifier. */
    public String issuer() {
        return issuer;
    }

    /** The {@code sub} claim, if present. Unique only together with {@link #issuer()}. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** The {@code exp} claim (at most {@link #NEVER}), or {@link #NEVER} for a pre-1.0 token without one. */
    public Instant expiresAt() {
        return expiresAt;
    }

    public Grants grants() {
        return grants;
    }

    /** Shorthand for {@code grants().canPublish(topics)}. */
    public boolean canPublish(List<String> topics) {
        return grants.canPublish(topics);
    }

    /** Shorthand for {@code grants().canSubscribe(topics)}. */
    public boolean canSubscribe(List<String> topics) {
        return grants.canSubscribe(topics);
    }

    /** Shorthand for {@code grants().payloadFor(matcherValue)}. */
    public Optional<String> payloadFor(String matcherValue) {
        return grants.payloadFor(matcherValue);
    }

    @Override
    public String toString() {
        return "AccessToken[iss=" + Excerpt.of(issuer) + ", sub=" + (subject == null ? "none" : Excerpt.of(subject))
                + ", exp=" + expiresAt + ", " + grants + "]";
    }
}
