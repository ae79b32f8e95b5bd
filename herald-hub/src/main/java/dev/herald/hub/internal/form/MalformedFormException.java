package dev.herald.hub.internal.form;

/**
 * A name or value is not valid UTF-8 once percent-decoded. The WHATWG parser would substitute
 * U+FFFD; Mercure requires valid UTF-8 for topics, matcher values and every publish field
 * (§"Subscription", §"Publication"), so the hub refuses the request with 400 instead.
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public final class MalformedFormException extends FormException {

    private static final long serialVersionUID = 1L;

    public MalformedFormException(String message) {
        super(message);
    }
}
