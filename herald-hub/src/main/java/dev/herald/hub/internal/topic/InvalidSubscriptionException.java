package dev.herald.hub.internal.topic;

/**
 * A subscription request's parameters are not acceptable (Mercure §"Subscription": unknown name in
 * the reserved {@code match} namespace, invalid matcher value, too many matchers, no matcher); the
 * hub answers 400. The message is safe to return to the client, e.g.
 * {@code "match_foo: unsupported matcher type (supported: match, match_exact, match_urlpattern)"}.
 *
 * <p>Like any exception, safe to hand to another thread once thrown.
 */
public final class InvalidSubscriptionException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidSubscriptionException(String message) {
        super(message);
    }
}
