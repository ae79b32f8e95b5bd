package dev.herald.hub;

import dev.herald.hub.internal.history.TopicsCodec;
import java.util.List;
import java.util.Objects;

/**
 * One update as a {@link HistoryStore} keeps it: its hub-wide sequence number, its event id, what
 * routing and authorization need (topics, private flag) and its SSE frame, encoded once at publish
 * time so replay writes the same bytes live subscribers got.
 *
 * <p>Instances are immutable and thread-safe. The frame array is shared, never modified.
 */
public final class HistoryEntry {

    private final long sequence;
    private final String id;
    private final List<String> topics;
    private final boolean isPrivate;
    private final long timestampMillis;
    private final byte[] frame;
    private final String conflationKey;

    private HistoryEntry(long sequence, String id, List<String> topics, boolean isPrivate, long timestampMillis,
                         byte[] frame, String conflationKey) {
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence: " + sequence + " (expected: > 0)");
        }
        this.sequence = sequence;
        this.id = Objects.requireNonNull(id, "id");
        this.topics = List.copyOf(topics);
        this.isPrivate = isPrivate;
        this.timestampMillis = timestampMillis;
        this.frame = Objects.requireNonNull(frame, "frame");
        this.conflationKey = conflationKey;
    }

    /**
     * An entry. The {@code frame} array is kept as is (not copied): callers hand it over and must
     * not modify it afterwards.
     */
    public static HistoryEntry of(long sequence, String id, List<String> topics, boolean isPrivate,
                                  long timestampMillis, byte[] frame) {
        return of(sequence, id, topics, isPrivate, timestampMillis, frame, null);
    }

    /**
     * An entry with the update's {@linkplain Update#conflationKey() conflation key} ({@code null} for
     * none), which a store keeps so that a replay to a conflating subscriber conflates too.
     */
    public static HistoryEntry of(long sequence, String id, List<String> topics, boolean isPrivate,
                                  long timestampMillis, byte[] frame, String conflationKey) {
        return new HistoryEntry(sequence, id, topics, isPrivate, timestampMillis, frame, conflationKey);
    }

    /** Position in the hub-wide order of updates, starting at 1, without gaps. */
    public long sequence() {
        return sequence;
    }

    /** The event id (the publisher's or a generated one). */
    public String id() {
        return id;
    }

    public List<String> topics() {
        return topics;
    }

    public boolean isPrivate() {
        return isPrivate;
    }

    /** When the hub accepted the update, in epoch milliseconds (used by age-based retention). */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** The SSE frame bytes. Do not modify. */
    public byte[] frame() {
        return frame;
    }

    /**
     * {@code topics} as bytes, for a store or transport that keeps them in one binary value: a 4-byte
     * count, then each topic as a 4-byte length and its UTF-8 bytes (length-prefixed, since the
     * protocol forbids no separator character in a topic). The SQLite history stores this, and its
     * size counts towards {@code historyMaxBytes}.
     */
    public static byte[] encodeTopics(List<String> topics) {
        return TopicsCodec.encode(topics);
    }

    /**
     * The topics {@link #encodeTopics} encoded.
     *
     * @throws IllegalArgumentException if {@code encoded} is not such an encoding (damaged data)
     */
    public static List<String> decodeTopics(byte[] encoded) {
        return TopicsCodec.decode(encoded);
    }

    /** The update's conflation key, or {@code null}. */
    public String conflationKey() {
        return conflationKey;
    }

    @Override
    public String toString() {
        return "HistoryEntry{sequence=" + sequence + ", id=" + id + ", topics=" + topics
                + (isPrivate ? ", private" : "") + (conflationKey == null ? "" : ", conflationKey=" + conflationKey)
                + ", " + frame.length + " bytes}";
    }
}
