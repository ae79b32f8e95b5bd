package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a request presented as an access token: nothing, something malformed, or a token from a
 * given {@link TokenSource}. {@link #toString()} never shows the token.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenPresentation {

    /** The three possible presentations. Immutable and thread-safe (an enum). */
    public enum Kind {
        /** No {@code Authorization} header and no token cookie. */
        ABSENT,
        /** An {@code Authorization} header (or token cookie) that is not {@code Bearer <b64token>}: 400 {@code invalid_request}. */
        MALFORMED,
        /** A syntactically acceptable token, still to be validated. */
        PRESENT
    }

    private static final TokenPresentation ABSENT = new TokenPresentation(Kind.ABSENT, null, null, null);

    private final Kind kind;
    private final String token;
    private final TokenSource source;
    private final String problem;

    private TokenPresentation(Kind kind, String token, TokenSource source, String problem) {
        this.kind = kind;
        this.token = token;
        this.source = source;
        this.problem = problem;
    }

    static TokenPresentation ofAbsent() {
        return ABSENT;
    }

    static TokenPresentation ofMalformed(TokenSource source, String problem) {
        return new TokenPresentation(Kind.MALFORMED, null, requireNonNull(source, "source"),
                requireNonNull(problem, "problem"));
    }

    static TokenPresentation ofToken(TokenSource source, String token) {
        return new TokenPresentation(Kind.PRESENT, requireNonNull(token, "token"), requireNonNull(source, "source"),
                null);
    }

    public Kind kind() {
        return kind;
    }

    /** Where the token (or the malformed attempt) came from; empty when {@link Kind#ABSENT}. */
    public Optional<TokenSource> source() {
        return Optional.ofNullable(source);
    }

    /** The token when {@link Kind#PRESENT}. Never log it. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Why the presentation is malformed (loggable, token-free); empty unless {@link Kind#MALFORMED}. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public String toString() {
        return "TokenPresentation[" + kind + (source == null ? "" : ", " + source)
                + (problem == null ? "" : ", " + problem) + "]";
    }
}
