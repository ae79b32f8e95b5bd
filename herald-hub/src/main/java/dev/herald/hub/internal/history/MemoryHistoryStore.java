package dev.herald.hub.internal.history;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A bounded in-memory {@link HistoryStore}: a ring of the latest entries plus an index from event id
 * to sequence. {@link Retention} applies as entries arrive (count and size) and whenever the store is
 * used (age). The ring grows on demand, so a large {@code maxEvents} costs memory only once used.
 * Nothing survives a restart.
 *
 * <p>Thread-safe: every method holds the instance lock for a short, bounded time (a read copies at
 * most {@code limit} references).
 */
public final class MemoryHistoryStore implements HistoryStore, MeasuredHistory {

    /** Most entries a memory store can keep (the ring is an array). */
    public static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    private static final int INITIAL_RING = 1024;

    private final Retention retention;
    private final int capacity;
    private final LongSupplier clock;
    private HistoryEntry[] ring;
    /** id -> the earliest kept entry with that id, and how many kept entries share it. */
    private final Map<String, IdSlot> ids = new HashMap<>();
    private long first = 1; // sequence of the oldest kept entry (when size > 0)
    private int size;
    private long last;
    private long bytes;

    private static final class IdSlot {
        long sequence;
        int count;

        IdSlot(long sequence) {
            this.sequence = sequence;
            this.count = 1;
        }
    }

    /** A store keeping at most {@code capacity} entries, of any age and size. */
    public MemoryHistoryStore(int capacity) {
        this(Retention.ofEvents(capacity));
    }

    public MemoryHistoryStore(Retention retention) {
        this(retention, System::currentTimeMillis);
    }

    /** With the clock age is measured by (epoch milliseconds), for tests. */
    public MemoryHistoryStore(Retention retention, LongSupplier clock) {
        this.retention = java.util.Objects.requireNonNull(retention, "retention");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        if (retention.maxEvents() > MAX_CAPACITY) {
            throw new IllegalArgumentException("maxEvents: " + retention.maxEvents() + " (expected: <= " + MAX_CAPACITY
                    + " for the memory history)");
        }
        this.capacity = (int) retention.maxEvents();
        this.ring = new HistoryEntry[Math.min(capacity, INITIAL_RING)];
    }

    @Override
    public synchronized void append(HistoryEntry entry) {
        if (entry.sequence() != last + 1) {
            throw new IllegalArgumentException("sequence: " + entry.sequence() + " (expected: " + (last + 1) + ")");
        }
        if (size == capacity) {
            evictOldest();
        } else if (size == ring.length) {
            grow();
        }
        if (size == 0) {
            first = entry.sequence();
        }
        ring[index(entry.sequence())] = entry;
        size++;
        last = entry.sequence();
        bytes += StoredBytes.of(entry);
        IdSlot slot = ids.get(entry.id());
        if (slot == null) {
            ids.put(entry.id(), new IdSlot(entry.sequence()));
        } else {
            slot.count++;
        }
        while (bytes > retention.maxBytes() && size > 0) {
            evictOldest();
        }
        trimExpired();
    }

    /** Doubles the ring (up to the capacity), keeping each entry at its sequence's index. */
    private void grow() {
        HistoryEntry[] bigger = new HistoryEntry[(int) Math.min(capacity, (long) ring.length * 2)];
        for (long s = first; s < first + size; s++) {
            bigger[(int) (s % bigger.length)] = ring[index(s)];
        }
        ring = bigger;
    }

    private void trimExpired() {
        long oldestAllowed = retention.oldestAllowedMillis(clock.getAsLong());
        while (size > 0 && ring[index(first)].timestampMillis() < oldestAllowed) {
            evictOldest();
        }
    }

    private void evictOldest() {
        HistoryEntry old = ring[index(first)];
        ring[index(first)] = null;
        size--;
        first++;
        bytes -= StoredBytes.of(old);
        IdSlot slot = ids.get(old.id());
        if (--slot.count == 0) {
            ids.remove(old.id());
        } else if (slot.sequence == old.sequence()) {
            // a reused id: Last-Event-ID must now resolve to the earliest remaining entry with it
            for (long s = first; s <= last; s++) {
                if (ring[index(s)].id().equals(old.id())) {
                    slot.sequence = s;
                    break;
                }
            }
        }
    }

    @Override
    public synchronized long findSequence(String id) {
        trimExpired();
        IdSlot slot = ids.get(id);
        return slot == null ? -1 : slot.sequence;
    }

    @Override
    public synchronized List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
        trimExpired();
        if (size == 0) {
            return Collections.emptyList();
        }
        long from = Math.max(afterSequence + 1, first);
        long to = Math.min(upToSequence, last);
        if (from > to || limit <= 0) {
            return Collections.emptyList();
        }
        int n = (int) Math.min(limit, to - from + 1);
        List<HistoryEntry> out = new ArrayList<>(n);
        for (long s = from; s < from + n; s++) {
            out.add(ring[index(s)]);
        }
        return out;
    }

    @Override
    public synchronized long oldestSequence() {
        trimExpired();
        return size == 0 ? -1 : first;
    }

    @Override
    public synchronized long lastSequence() {
        return last;
    }

    /** Number of entries kept. */
    public synchronized int size() {
        return size;
    }

    /** Bytes the kept entries count for against {@link Retention#maxBytes()}. */
    @Override
    public synchronized long storedBytes() {
        return bytes;
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return "MemoryHistoryStore{" + retention + "}";
    }

    private int index(long sequence) {
        return (int) (sequence % ring.length);
    }
}
