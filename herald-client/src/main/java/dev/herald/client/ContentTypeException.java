package dev.herald.client;

/**
 * The response's {@code Content-Type} essence was not {@code text/event-stream}, or the header was
 * missing, which fails the connection (WHATWG HTML §9.2.2, processResponse step 3): the event source is
 * closed and does not reconnect. Parameters and case are ignored, so {@code Text/Event-Stream;
 * charset=utf-8} is accepted.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ContentTypeException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String contentType;

    /** A content-type failure; {@code contentType} is the header value, or {@code null} when absent. */
    public ContentTypeException(String contentType) {
        super("Content-Type: " + (contentType == null ? "none" : contentType) + " (expected: text/event-stream)", null);
        this.contentType = contentType;
    }

    /** The {@code Content-Type} header value, or {@code null} when the response had none. */
    public String contentType() {
        return contentType;
    }
}
