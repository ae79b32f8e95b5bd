package dev.herald.hub;

/**
 * The hub could not start: the address is in use, a TLS or key file is unreadable, or the history
 * could not be opened. The message says what and, where it can, what to do.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HubStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HubStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
