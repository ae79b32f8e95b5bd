package dev.herald.redis.internal;

import dev.herald.hub.HistoryEntry;
import io.lettuce.core.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An update as a stream entry: id {@code <sequence>-0} and the fields {@code id} (the event id),
 * {@code ts} (epoch milliseconds, for age retention), {@code size} (bytes counted by size
 * retention: frame and topics), {@code private} ({@code 0}/{@code 1}), {@code topics}
 * ({@link HistoryEntry#encodeTopics}, as the SQLite history keeps them), {@code frame} (the SSE
 * bytes subscribers get) and, for an update that has one, {@code ckey} (its conflation key). Stateless and
 * thread-safe.
 */
final class EntryCodec {

    static final String ID = "id";
    static final String TIMESTAMP = "ts";
    static final String SIZE = "size";
    static final String PRIVATE = "private";
    static final String TOPICS = "topics";
    static final String FRAME = "frame";
    static final String CONFLATION_KEY = "ckey";

    private EntryCodec() {
    }

    /** The stream entry id of {@code sequence}. */
    static String entryId(long sequence) {
        return sequence + "-0";
    }

    /** The sequence of a stream entry id {@code <sequence>-0}, or -1 for an id Herald did not write. */
    static long sequenceOf(String entryId) {
        int dash = entryId.indexOf('-');
        if (dash <= 0 || !entryId.substring(dash + 1).equals("0")) {
            return -1;
        }
        try {
            return Long.parseLong(entryId, 0, dash, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Bytes an update counts for size retention: its frame and its topics, as the SQLite history counts. */
    static long size(byte[] topics, byte[] frame) {
        return (long) topics.length + frame.length;
    }

    /**
     * The entry a stream message holds.
     *
     * @throws IllegalArgumentException if Herald did not write it (another id form, a field missing)
     */
    static HistoryEntry decode(StreamMessage<byte[], byte[]> message) {
        long sequence = sequenceOf(message.getId());
        if (sequence <= 0) {
            throw new IllegalArgumentException("stream entry " + message.getId() + ": not a Herald id (<sequence>-0)");
        }
        byte[] id = null;
        byte[] ts = null;
        byte[] isPrivate = null;
        byte[] topics = null;
        byte[] frame = null;
        byte[] conflationKey = null;
        for (Map.Entry<byte[], byte[]> field : message.getBody().entrySet()) {
            switch (new String(field.getKey(), StandardCharsets.US_ASCII)) {
                case ID -> id = field.getValue();
                case TIMESTAMP -> ts = field.getValue();
                case PRIVATE -> isPrivate = field.getValue();
                case TOPICS -> topics = field.getValue();
                case FRAME -> frame = field.getValue();
                case CONFLATION_KEY -> conflationKey = field.getValue();
                default -> { } // fields a later version may add
            }
        }
        if (id == null || ts == null || isPrivate == null || topics == null || frame == null) {
            throw new IllegalArgumentException("stream entry " + message.getId() + ": a field is missing");
        }
        try {
            return HistoryEntry.of(sequence, new String(id, StandardCharsets.UTF_8), HistoryEntry.decodeTopics(topics),
                    isPrivate.length == 1 && isPrivate[0] == '1',
                    Long.parseLong(new String(ts, StandardCharsets.US_ASCII)), frame,
                    conflationKey == null ? null : new String(conflationKey, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stream entry " + message.getId() + ": " + e.getMessage(), e);
        }
    }
}
