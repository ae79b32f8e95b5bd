package dev.herald.hub.internal.metrics;

import dev.herald.hub.HistoryStore;
import dev.herald.hub.internal.history.MeasuredHistory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code /metrics} says about the history, read from any {@link HistoryStore} when scraped and
 * costing the publish path nothing. A store keeps one run of consecutive sequences and retention only
 * drops its oldest entries (the {@link HistoryStore} contract), so the entries kept and the entries
 * evicted follow from its oldest and last sequences:
 *
 * <ul>
 *   <li>kept: {@code last - oldest + 1}, or 0 when empty;
 *   <li>evicted since the hub started: how far the "dropped through" sequence ({@code oldest - 1}, or
 *       {@code last} when empty) moved since start-up.
 * </ul>
 *
 * <p>Thread-safe: read concurrently with appends and retention.
 */
final class HistoryMeters {

    private final HistoryStore history;
    private final long droppedThroughAtStart;
    private final AtomicLong evicted = new AtomicLong();

    HistoryMeters(HistoryStore history) {
        this.history = history;
        this.droppedThroughAtStart = droppedThrough();
    }

    /** Updates the history keeps now. */
    long events() {
        long last = history.lastSequence();
        long oldest = history.oldestSequence();
        return oldest <= 0 || last < oldest ? 0 : last - oldest + 1;
    }

    /** Bytes it keeps, for the built-in stores; {@code NaN} (no sample) for a store that does not say. */
    double bytes() {
        return history instanceof MeasuredHistory m ? m.storedBytes() : Double.NaN;
    }

    /** Updates retention dropped since the hub started; never decreases. */
    long evictions() {
        long now = droppedThrough() - droppedThroughAtStart;
        return evicted.accumulateAndGet(now, Math::max);
    }

    /** The last sequence retention dropped: {@code oldest - 1}, or {@code last} when it dropped everything. */
    private long droppedThrough() {
        // last first: an append between the two reads then leaves an oldest that is still right
        long last = history.lastSequence();
        long oldest = history.oldestSequence();
        return oldest > 0 ? oldest - 1 : last;
    }
}
