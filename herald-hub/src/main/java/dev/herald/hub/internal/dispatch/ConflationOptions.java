package dev.herald.hub.internal.dispatch;

/**
 * What a conflating subscriber asked for, and the hub's bound on what it may hold: the most events
 * per second it wants ({@link #NO_RATE_LIMIT} for none: conflation only while its connection is
 * congested), and the most conflation keys one of its pending lists holds.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxRate events per second, {@code > 0}, or {@link #NO_RATE_LIMIT}
 * @param maxKeys most distinct keys held per pending list (see {@link PendingUpdates})
 */
public record ConflationOptions(double maxRate, int maxKeys) {

    /** {@link #maxRate} of a subscriber that asked for conflation without a rate. */
    public static final double NO_RATE_LIMIT = Double.POSITIVE_INFINITY;

    public ConflationOptions {
        if (!(maxRate > 0)) { // also refuses NaN
            throw new IllegalArgumentException("maxRate: " + maxRate + " (expected: > 0)");
        }
        if (maxKeys <= 0) {
            throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: > 0)");
        }
    }

    public boolean isRateLimited() {
        return maxRate != NO_RATE_LIMIT;
    }
}
