package dev.herald.client;

import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * The server answered with a status other than {@code 200}, which fails the connection (WHATWG HTML
 * §9.2.2, processResponse step 3): the event source is closed and does not reconnect. A {@code 204 No
 * Content} is the server's way of saying "stop". A redirect status without a usable {@code Location}
 * is reported here too.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HttpStatusException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final transient HttpHeaders headers;

    /** A status failure; {@code headers} are the response's. */
    public HttpStatusException(int statusCode, HttpHeaders headers) {
        super(message(statusCode), null);
        this.statusCode = statusCode;
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    private static String message(int statusCode) {
        if (statusCode == 204) {
            return "HTTP status 204 (the server asked the client to stop)";
        }
        if (statusCode >= 300 && statusCode < 400) {
            return "HTTP status " + statusCode + " without a usable Location header (expected: 200)";
        }
        return "HTTP status " + statusCode + " (expected: 200)";
    }

    /** The response status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The response headers (for example {@code Retry-After} or {@code WWW-Authenticate}). */
    public HttpHeaders headers() {
        return headers;
    }
}
