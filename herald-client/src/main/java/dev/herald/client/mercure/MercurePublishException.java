package dev.herald.client.mercure;

import java.io.IOException;

/**
 * The hub refused an update: it answered with a status other than {@code 200} (400 for an invalid
 * field, 401 or 403 for a missing or insufficient token, 413 for a body too large...).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MercurePublishException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String body;

    /** A refusal with {@code statusCode} and the response {@code body}. */
    public MercurePublishException(int statusCode, String body) {
        super("the hub answered HTTP " + statusCode + " (expected: 200)" + excerpt(body));
        this.statusCode = statusCode;
        this.body = body;
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    /** The response status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The response body (often a problem description). */
    public String body() {
        return body;
    }
}
