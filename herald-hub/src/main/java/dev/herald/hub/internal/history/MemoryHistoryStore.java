package dev.herald.hub.internal.history;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded in-memory {@link HistoryStore}: a ring of the latest {@code capacity} entries plus an
 * index from event id to sequence. Nothing survives a restart.
 *
 * <p>Thread-safe: every method holds the instance lock for a short, bounded time (a read copies at
 * most {@code limit} references).
 */
public final class MemoryHistoryStore implements HistoryStore {

    private final HistoryEntry[] ring;
    /** id -> the earliest kept entry with that id, and how many kept entries share it. */
    private final Map<String, IdSlot> ids = new HashMap<>();
    private long first = 1; // sequence of the oldest kept entry (when size > 0)
    private int size;
    private long last;

    private static final class IdSlot {
        long sequence;
        int count;

        IdSlot(long sequence) {
            this.sequence = sequence;
            this.count = 1;
        }
    }

    public MemoryHistoryStore(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.ring = new HistoryEntry[capacity];
    }

    @Override
    public synchronized void append(HistoryEntry entry) {
        if (entry.sequence() != last + 1) {
            throw new IllegalArgumentException("sequence: " + entry.sequence() + " (expected: " + (last + 1) + ")");
        }
        if (size == ring.length) {
            evictOldest();
        }
        if (size == 0) {
            first = entry.sequence();
        }
        ring[index(entry.sequence())] = entry;
        size++;
        last = entry.sequence();
        IdSlot slot = ids.get(entry.id());
        if (slot == null) {
            ids.put(entry.id(), new IdSlot(entry.sequence()));
        } else {
            slot.count++;
        }
    }

    private void evictOldest() {
        HistoryEntry old = ring[index(first)];
        ring[index(first)] = null;
        size--;
        first++;
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
        IdSlot slot = ids.get(id);
        return slot == null ? -1 : slot.sequence;
    }

    @Override
    public synchronized List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
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

    @Override
    public void close() {
        // nothing to release
    }

    private int index(long sequence) {
        return (int) (sequence % ring.length);
    }
}
