package dev.herald.hub.internal.topic.urlpattern;

/**
 * A URL pattern is not well formed, uses syntax this implementation does not support, or is over a
 * complexity limit. Where the URL Pattern Standard throws a TypeError, this is thrown. The message is
 * short, never echoes the pattern, and is safe to return to a client.
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public final class UrlPatternException extends Exception {

    private static final long serialVersionUID = 1L;

    public UrlPatternException(String message) {
        super(message);
    }
}
