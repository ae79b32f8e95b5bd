package dev.herald.hub.internal.topic;

/**
 * A topic matcher or its value is not acceptable: unknown matcher type, forbidden characters,
 * malformed URL pattern, or over a configured limit. The message is safe to return to the client
 * (it never echoes more than a short, sanitised excerpt of the value).
 */
public final class InvalidMatcherException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidMatcherException(String message) {
        super(message);
    }
}
