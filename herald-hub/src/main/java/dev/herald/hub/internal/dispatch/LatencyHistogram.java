package dev.herald.hub.internal.dispatch;

import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed bucket bounds, cheap enough for the dispatch path: recording is a
 * short scan of its 17 bounds and two striped-adder increments, with no allocation and no
 * lock, so every event loop can record concurrently. Read (summed) when metrics are scraped.
 *
 * <p>Thread-safe.
 */
public final class LatencyHistogram {

    /**
     * Upper bounds of the buckets, in seconds, the last one being +Inf: from 50 µs (a write on an
     * idle hub with the memory history) to 10 s (a publish stuck behind a full disk).
     */
    static final double[] UPPER_BOUNDS_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, Double.POSITIVE_INFINITY};
    static final int BUCKETS = UPPER_BOUNDS_SECONDS.length;
    private static final long[] UPPER_BOUNDS_NANOS = new long[BUCKETS];

    static {
        for (int i = 0; i < BUCKETS - 1; i++) {
            UPPER_BOUNDS_NANOS[i] = Math.round(UPPER_BOUNDS_SECONDS[i] * 1e9);
        }
        UPPER_BOUNDS_NANOS[BUCKETS - 1] = Long.MAX_VALUE;
    }

    private final LongAdder[] counts = new LongAdder[BUCKETS];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one observation of {@code nanos} (negative values, from a clock step, count as 0). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (n > UPPER_BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(n);
    }

    /** The buckets' upper bounds in seconds, the last being +Inf. */
    public static double[] upperBoundsSeconds() {
        return UPPER_BOUNDS_SECONDS.clone();
    }

    /** The observations per bucket (not cumulative), in the order of {@link #upperBoundsSeconds()}. */
    public long[] counts() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = counts[i].sum();
        }
        return out;
    }

    /** The sum of all observations, in seconds. */
    public double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
