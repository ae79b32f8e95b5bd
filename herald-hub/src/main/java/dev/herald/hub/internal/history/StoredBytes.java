package dev.herald.hub.internal.history;

import dev.herald.hub.HistoryEntry;

/**
 * What an entry counts for against {@link Retention#maxBytes()}: its SSE frame (which holds the id,
 * type and data) and its encoded topics, exactly what the SQLite store writes in those two columns.
 * The same measure for every store, so a bound means the same thing whichever is configured.
 * Stateless and thread-safe.
 */
final class StoredBytes {

    private StoredBytes() {
    }

    static long of(HistoryEntry e) {
        return e.frame().length + TopicsCodec.encodedLength(e.topics());
    }
}
