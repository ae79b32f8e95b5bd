package dev.herald.hub.internal.topic.uritemplate;

/**
 * A string is not an RFC 6570 URI Template ({@link #limitExceeded()} false), or is one whose
 * matcher would exceed the bounds of {@link UriTemplate} ({@link #limitExceeded()} true). The
 * message is safe to return to a client: it never quotes more than a character of the input.
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public final class UriTemplateException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean limitExceeded;

    UriTemplateException(String message, boolean limitExceeded) {
        super(message, null, false, false);
        this.limitExceeded = limitExceeded;
    }

    /**
     * Whether the template is well formed but too complex to match within the bounds: callers refuse
     * it, whereas a malformed template is, for a pre-1.0 topic selector, a plain string.
     */
    public boolean limitExceeded() {
        return limitExceeded;
    }
}
