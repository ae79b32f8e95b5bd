package dev.herald.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What the subscribers of one event loop received: event counts and latency histograms, plus the
 * loop's scratch buffer. Updated without synchronisation by the loop's connections; read by
 * {@link #snapshot} run on the same loop.
 *
 * <p>Not thread-safe: confined to its event loop.
 */
final class LoopStats {

    /** Bytes copied out of a read buffer at a time for scanning. */
    static final int SCRATCH_BYTES = 64 * 1024;

    final byte[] scratch = new byte[SCRATCH_BYTES];
    private final Window window;
    private final Histogram windowLatency = Histograms.newHistogram();
    private final Histogram intervalLatency = Histograms.newHistogram();
    private long events;
    private long windowReceived;
    private long windowArrivals;
    private long otherEvents;

    LoopStats(Window window) {
        this.window = window;
    }

    /**
     * Counts one received event.
     *
     * @param t its publish timestamp in microseconds of {@link System#nanoTime()}, or negative when absent
     * @param s its publish sequence, or negative when absent
     * @param nowMicros the receive time on the same clock
     */
    void onEvent(long t, long s, long nowMicros) {
        events++;
        if (t < 0 || s < 0) {
            otherEvents++;
            return;
        }
        long latency = nowMicros - t;
        Histograms.record(intervalLatency, latency);
        if (window.isOpen()) {
            windowArrivals++;
        }
        if (window.contains(s)) {
            windowReceived++;
            Histograms.record(windowLatency, latency);
        }
    }

    /**
     * The counters and copies of the histograms; the interval histogram starts over.
     *
     * @param withWindow whether to copy the window histogram too (for the final report)
     */
    Snapshot snapshot(boolean withWindow) {
        Histogram interval = intervalLatency.copy();
        intervalLatency.reset();
        return new Snapshot(events, windowReceived, windowArrivals, otherEvents, interval,
                withWindow ? windowLatency.copy() : null);
    }

    /**
     * One loop's counts at a moment. Immutable once made (the histograms are private copies).
     *
     * @param windowLatency the window's histogram, or {@code null} when not asked for
     */
    record Snapshot(long events, long windowReceived, long windowArrivals, long otherEvents, Histogram intervalLatency,
                    Histogram windowLatency) {
    }
}
