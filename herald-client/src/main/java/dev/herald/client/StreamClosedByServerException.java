package dev.herald.client;

/**
 * The response body ended (WHATWG HTML §9.2.2, "processEventSourceEndOfBody"). The event source
 * reconnects after its reconnection time; a block not yet ended by a blank line was discarded.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class StreamClosedByServerException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    /** An end of stream. */
    public StreamClosedByServerException() {
        super("the server ended the stream", null);
    }
}
