package dev.herald.hub.internal.server;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the hub refuses before acting on it, with the status (400, 413, 415) and a short
 * client-safe reason. Immutable.
 */
final class BadRequestException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient HttpResponseStatus status;

    BadRequestException(HttpResponseStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    BadRequestException(String reason) {
        this(HttpResponseStatus.BAD_REQUEST, reason);
    }

    HttpResponseStatus status() {
        return status;
    }
}
