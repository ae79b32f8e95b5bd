package dev.herald.hub.internal.server;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An authorization failure ready to send: status (400, 401 or 403), the {@code WWW-Authenticate}
 * challenge (RFC 6750 §3) and a short client-safe reason. Never contains the token.
 * Instances are immutable and thread-safe.
 */
final class AuthRejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String challenge;

    AuthRejection(HttpResponseStatus status, String challenge, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.challenge = challenge;
    }

    HttpResponseStatus status() {
        return status;
    }

    /** The {@code WWW-Authenticate} value, or {@code null} when none applies. */
    String challenge() {
        return challenge;
    }
}
