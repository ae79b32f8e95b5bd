package dev.herald.client;

/**
 * A redirect could not be followed: there were more than {@value EventSourceConfig#MAX_REDIRECTS} of
 * them in a row (fetch's "HTTP-redirect fetch" limit; a loop is the usual cause), or the
 * {@code Location} was not a valid {@code http} or {@code https} URL. Retrying would give the same
 * answer, so this fails the connection: the event source is closed and does not reconnect.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RedirectException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    /** A redirect failure described by {@code message}. */
    public RedirectException(String message) {
        super(message, null);
    }
}
