package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

/**
 * A presented access token was refused: it failed validation (Mercure §"Token Validation") or its
 * authorization details failed to parse or exceeded a limit (§"Authorization Details"). Every such
 * refusal is reported to the client identically, as 401 {@code invalid_token} (§"Error Responses":
 * not distinguishing why avoids disclosing it); see {@link AuthFailure#invalidToken}.
 *
 * <p>The {@linkplain #getMessage() message} is the internal reason, for logs only. It never contains
 * the token; token-derived values in it (an {@code alg}, an {@code iss}) are short, sanitised
 * excerpts. No stack trace is captured: refusals are ordinary, possibly hostile, traffic.
 *
 * <p>Immutable and thread-safe.
 */
public final class InvalidTokenException extends Exception {

    private static final long serialVersionUID = 2L;

    private final boolean expired;

    InvalidTokenException(String reason) {
        this(reason, false);
    }

    /** @param expired whether the token was refused because its {@code exp} has passed */
    InvalidTokenException(String reason, boolean expired) {
        super(requireNonNull(reason, "reason"), null, false, false);
        this.expired = expired;
    }

    /** Whether the token was refused only because its {@code exp} has passed (a client should renew it). */
    public boolean expired() {
        return expired;
    }

    /** The internal, loggable reason; never sent to the client. */
    public String reason() {
        return getMessage();
    }
}
