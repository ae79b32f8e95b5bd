package dev.herald.hub.internal.dispatch;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the dispatch path updates; read by metrics and tests. Thread-safe (striped adders, cheap
 * to bump from every event loop).
 */
public final class Stats {
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder subscribed = new LongAdder();
    private final LongAdder unsubscribed = new LongAdder();
    private final LongAdder slowDisconnected = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder conflated = new LongAdder();

    void published() {
        published.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void subscribed() {
        subscribed.increment();
    }

    void unsubscribed() {
        unsubscribed.increment();
    }

    void slowDisconnected() {
        slowDisconnected.increment();
    }

    void replayed() {
        replayed.increment();
    }

    void reset() {
        resets.increment();
    }

    void conflated() {
        conflated.increment();
    }

    public long publishedCount() {
        return published.sum();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    /** Streams open now. */
    public long activeSubscribers() {
        return subscribed.sum() - unsubscribed.sum();
    }

    public long slowDisconnectedCount() {
        return slowDisconnected.sum();
    }

    public long replayCount() {
        return replayed.sum();
    }

    public long resetCount() {
        return resets.sum();
    }

    /** Updates a conflating subscriber never got because a newer one with the same key replaced them. */
    public long conflatedCount() {
        return conflated.sum();
    }
}
