package dev.herald.client;

/**
 * Why an {@link EventSource} lost or could not establish its connection, as reported to
 * {@link EventSourceListener#onError(EventSource, EventSourceException)} and thrown by
 * {@link EventStream}. The subclass tells the kind:
 *
 * <ul>
 *   <li>{@link HttpStatusException}: the response status was not {@code 200} (fails the connection);
 *   <li>{@link ContentTypeException}: the content type was not {@code text/event-stream} (fails it);
 *   <li>{@link RedirectException}: a redirect could not be followed (fails it);
 *   <li>{@link StreamClosedByServerException}: the body ended (the client reconnects);
 *   <li>{@link StreamIOException}, and its {@link ReadTimeoutException}: a network error (reconnects);
 *   <li>{@link EventTooLargeException}: an event exceeded the configured maximum size (reconnects).
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public abstract sealed class EventSourceException extends RuntimeException
        permits HttpStatusException, ContentTypeException, RedirectException, StreamClosedByServerException,
        StreamIOException, EventTooLargeException {

    private static final long serialVersionUID = 1L;

    EventSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
