package dev.herald.hub.internal.history;

/**
 * The SQLite history's index from event id to sequence, kept in memory: a 64-bit hash of each kept
 * id, mapped to the earliest kept sequence with that id. Event ids are mostly random
 * ({@code urn:uuid:}), so an index on disk would dirty one random page per update at every commit,
 * which measured six times slower than the inserts themselves; in memory it costs about 32 bytes per
 * kept update and is rebuilt from the table at start-up. A hash is only a candidate: the store checks
 * the id at that sequence, so a collision costs a scan, never a wrong answer.
 *
 * <p>Open addressing with linear probing and backward-shift deletion, grown at half load. Each value
 * carries a flag saying the id occurred again later (the store then looks for the next occurrence
 * when the earliest leaves).
 *
 * <p>Thread-safe: every method is synchronized, and short.
 */
final class IdIndex {

    private static final long REUSED = Long.MIN_VALUE; // flag bit in a value; sequences are positive
    private static final long EMPTY = 0; // a hash of 0 is stored as 1

    private long[] keys = new long[1024];
    private long[] values = new long[1024];
    private int size;

    static long hash(String id) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the UTF-16 units, then a murmur3 finalizer
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }

    /** Records {@code id} at {@code sequence}, keeping the earlier sequence if the id is already there. */
    synchronized void add(String id, long sequence) {
        long h = hash(id);
        int i = slot(h);
        if (keys[i] == h) {
            values[i] |= REUSED;
            return;
        }
        keys[i] = h;
        values[i] = sequence;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    /** The candidate sequence for {@code id}, or -1. */
    synchronized long find(String id) {
        long h = hash(id);
        int i = slot(h);
        return keys[i] == h ? values[i] & ~REUSED : -1;
    }

    /**
     * Forgets {@code id} at {@code sequence} (retention dropped it). Returns true when the id occurred
     * again later, so the caller should {@link #replace} it with its next occurrence.
     */
    synchronized boolean remove(String id, long sequence) {
        long h = hash(id);
        int i = slot(h);
        if (keys[i] != h || (values[i] & ~REUSED) != sequence) {
            return false; // not the entry for this occurrence (a collision, or a later occurrence)
        }
        boolean reused = (values[i] & REUSED) != 0;
        delete(i);
        return reused;
    }

    /** Records {@code id}'s next occurrence after its earliest left; the id is marked reused (it may occur again). */
    synchronized void replace(String id, long sequence) {
        long h = hash(id);
        int i = slot(h);
        if (keys[i] != h) {
            keys[i] = h;
            if (++size * 2 > keys.length) {
                values[i] = sequence | REUSED;
                grow();
                return;
            }
        }
        values[i] = sequence | REUSED;
    }

    synchronized int size() {
        return size;
    }

    private int slot(long h) {
        int mask = keys.length - 1;
        int i = (int) h & mask;
        while (keys[i] != EMPTY && keys[i] != h) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Backward-shift deletion: no tombstones, so probe chains stay short. */
    private void delete(int i) {
        int mask = keys.length - 1;
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == EMPTY) {
                break;
            }
            int home = (int) keys[j] & mask;
            // move j into the hole if its home is not cyclically within (hole, j]
            boolean between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
            if (!between) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        values[hole] = 0;
        size--;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i]);
                keys[s] = oldKeys[i];
                values[s] = oldValues[i];
            }
        }
    }
}
