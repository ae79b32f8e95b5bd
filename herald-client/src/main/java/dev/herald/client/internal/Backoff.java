package dev.herald.client.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The reconnect wait: the reconnection time, doubled for each failure in a row beyond the first, capped,
 * with a random part taken off, and never below the reconnection time (WHATWG HTML §9.2.3 reestablish
 * step 3 allows waiting "some more"; never less). See {@code EventSourceConfig}.
 *
 * <p>Stateless and thread-safe.
 */
final class Backoff {

    private Backoff() {
    }

    /**
     * The wait in milliseconds before the next attempt.
     *
     * @param reconnectMillis the reconnection time (the stream's {@code retry} or the configured one)
     * @param failures failed attempts in a row before the one that just ended (0 after a healthy one)
     * @param maxMillis the ceiling of the backoff
     * @param jitter the largest randomised share of the wait, from 0 to 1
     */
    static long delayMillis(long reconnectMillis, int failures, long maxMillis, double jitter) {
        if (failures <= 0) {
            return reconnectMillis;
        }
        // a zero reconnection time still backs off, from 1 ms, so that a dead server is not hammered
        long cap = Math.max(reconnectMillis, 1);
        for (int i = 0; i < failures && cap < maxMillis; i++) {
            cap = cap > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : cap * 2;
        }
        cap = Math.min(cap, maxMillis);
        long wait = cap - (long) (ThreadLocalRandom.current().nextDouble() * jitter * cap);
        return Math.max(reconnectMillis, wait);
    }
}
