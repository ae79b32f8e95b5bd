package dev.herald.hub.internal.dispatch;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;

/**
 * The updates a conflating subscriber holds back, in increasing sequence order, with at most one per
 * conflation key (Lightstreamer's MERGE mode with a one-element buffer per item): an update whose key
 * is already held replaces the held one, which is released, and moves to the end — so the order is
 * that of each entry's newest value, and taking entries from the head writes strictly increasing
 * event ids. Updates without a key are appended and never replaced.
 *
 * <p>At most {@code maxKeys} keys are held; an update with a key beyond them is appended as if it had
 * none (never dropped), so memory stays bounded by the keys plus the unkeyed bytes, which the owner
 * checks against the backlog limit.
 *
 * <p>Each held frame is one reference the holder owns: {@link #poll} hands it over, {@link #clear}
 * releases it. Not thread-safe: used on one subscriber's event loop only.
 */
final class PendingUpdates {

    /** What {@link #add} did. */
    enum Added { APPENDED, REPLACED, UNKEYED_OVER_LIMIT }

    /** One held update. Fields are read by the owner; the links are this list's. */
    static final class Entry {
        long sequence;
        String key; // null when held without a key
        ByteBuf frame;
        Entry prev;
        Entry next;
    }

    private final int maxKeys;
    private final Map<String, Entry> byKey = new HashMap<>();
    private Entry head;
    private Entry tail;
    private int size;
    private long unkeyedBytes;
    private long keyedBytes;

    PendingUpdates(int maxKeys) {
        if (maxKeys <= 0) {
            throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: > 0)");
        }
        this.maxKeys = maxKeys;
    }

    /**
     * Holds {@code frame} (taking over the caller's reference) as the update {@code sequence}, which
     * must be higher than every sequence added before.
     *
     * @param key the scoped conflation key, or {@code null}
     */
    Added add(long sequence, String key, ByteBuf frame) {
        Added result = Added.APPENDED;
        Entry e = null;
        if (key != null) {
            e = byKey.get(key);
            if (e != null) {
                unlink(e);
                keyedBytes -= e.frame.readableBytes();
                e.frame.release();
                result = Added.REPLACED;
            } else if (byKey.size() < maxKeys) {
                e = new Entry();
                e.key = key;
                byKey.put(key, e);
            } else {
                key = null;
                result = Added.UNKEYED_OVER_LIMIT;
            }
        }
        if (e == null) {
            e = new Entry();
        }
        e.sequence = sequence;
        e.frame = frame;
        if (key != null) {
            keyedBytes += frame.readableBytes();
        } else {
            unkeyedBytes += frame.readableBytes();
        }
        append(e);
        return result;
    }

    /** The oldest held entry (lowest sequence), or {@code null}; it stays held. */
    Entry peek() {
        return head;
    }

    /** Removes the oldest entry and hands its frame reference to the caller; {@code null} when empty. */
    Entry poll() {
        Entry e = head;
        if (e == null) {
            return null;
        }
        unlink(e);
        if (e.key != null) {
            byKey.remove(e.key);
            keyedBytes -= e.frame.readableBytes();
        } else {
            unkeyedBytes -= e.frame.readableBytes();
        }
        return e;
    }

    /**
     * Moves every entry of {@code from} into this empty list, in order, and leaves {@code from} empty:
     * a later update with one of their keys is held by {@code from} again instead of replacing one
     * here. Nothing is {@linkplain #add added} to a list filled this way. Costs one step per entry.
     */
    void takeAllFrom(PendingUpdates from) {
        if (head != null) {
            throw new IllegalStateException("not empty");
        }
        head = from.head;
        tail = from.tail;
        size = from.size;
        unkeyedBytes = from.unkeyedBytes;
        keyedBytes = from.keyedBytes;
        for (Entry e = head; e != null; e = e.next) {
            if (e.key != null) {
                from.byKey.remove(e.key); // one step per entry, where clear() would sweep the whole table
            }
        }
        from.head = null;
        from.tail = null;
        from.size = 0;
        from.unkeyedBytes = 0;
        from.keyedBytes = 0;
    }

    /** Releases every held frame. */
    void clear() {
        for (Entry e = head; e != null; e = e.next) {
            e.frame.release();
        }
        head = null;
        tail = null;
        size = 0;
        unkeyedBytes = 0;
        keyedBytes = 0;
        byKey.clear();
    }

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    int keyCount() {
        return byKey.size();
    }

    /** Bytes of the held frames without a key (including keys over the limit). */
    long unkeyedBytes() {
        return unkeyedBytes;
    }

    /** Bytes of the held frames with a key. */
    long keyedBytes() {
        return keyedBytes;
    }

    private void append(Entry e) {
        e.prev = tail;
        e.next = null;
        if (tail == null) {
            head = e;
        } else {
            tail.next = e;
        }
        tail = e;
        size++;
    }

    private void unlink(Entry e) {
        if (e.prev == null) {
            head = e.next;
        } else {
            e.prev.next = e.next;
        }
        if (e.next == null) {
            tail = e.prev;
        } else {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
        size--;
    }
}
