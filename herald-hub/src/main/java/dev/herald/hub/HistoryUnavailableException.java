package dev.herald.hub;

import java.time.Duration;

/**
 * A {@link HistoryStore} cannot take an update right now. The hub answers the publisher
 * {@code 503 Service Unavailable} with {@code Retry-After}, and dispatches nothing. A transport's
 * {@link SubscriptionStore} and {@link TicketStore} fail the same way; for a {@link TicketStore}, the
 * client of a ticket request or of a subscription with a ticket gets the {@code 503}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HistoryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public HistoryUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the publisher should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
