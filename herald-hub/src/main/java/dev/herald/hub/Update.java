package dev.herald.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An update to publish (Mercure §"Publication"): one or more topics (the first is canonical, the
 * others alternates), the data, and the optional SSE {@code id}, {@code type} and {@code retry}.
 * A {@linkplain #isPrivate() private} update reaches only subscribers whose token grants
 * {@code subscribe} on one of its topics. An update may carry a {@linkplain #conflationKey()
 * conflation key}, a Herald extension: a subscriber that asked for conflation and falls behind gets
 * only the newest update of each key of a topic (see docs/hub.md, "Conflation and rate limits").
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Update {

    /** Returned by {@link #retry()} when the update sets no reconnection time. */
    public static final long NO_RETRY = -1;
    /**
     * The publish form field carrying the conflation key. Mercure's field names are lowercase words
     * joined by underscores, and hubs must ignore fields they do not know (§"Publication"): a hyphenated
     * name with the hub's own prefix can never collide with a future Mercure field, and other hubs
     * ignore it.
     */
    public static final String CONFLATION_KEY_FIELD = "herald-conflation-key";
    /** Longest {@linkplain #conflationKey() conflation key}, in characters. */
    public static final int MAX_CONFLATION_KEY_LENGTH = 256;

    private final List<String> topics;
    private final String data;
    private final String id;
    private final String type;
    private final long retry;
    private final boolean isPrivate;
    private final String conflationKey;

    private Update(Builder b) {
        this.topics = Collections.unmodifiableList(new ArrayList<>(b.topics));
        this.data = b.data;
        this.id = b.id;
        this.type = b.type;
        this.retry = b.retry;
        this.isPrivate = b.isPrivate;
        this.conflationKey = b.conflationKey;
    }

    /** A public update of {@code topic} carrying {@code data}. */
    public static Update of(String topic, String data) {
        return builder(topic).data(data).build();
    }

    /** A builder whose canonical topic is {@code topic}. */
    public static Builder builder(String topic) {
        return new Builder().topic(topic);
    }

    /** A builder with no topic yet; {@link Builder#build()} requires at least one. */
    public static Builder builder() {
        return new Builder();
    }

    /** The topics; the first is the canonical topic. Never empty. */
    public List<String> topics() {
        return topics;
    }

    /** The data; empty when none was given. */
    public String data() {
        return data;
    }

    /** The id the publisher chose, or {@code null} to let the hub generate one. */
    public String id() {
        return id;
    }

    /** The SSE event type, or {@code null}. */
    public String type() {
        return type;
    }

    /** The SSE reconnection time in milliseconds, or {@link #NO_RETRY}. */
    public long retry() {
        return retry;
    }

    /** Whether only authorized subscribers may receive it. */
    public boolean isPrivate() {
        return isPrivate;
    }

    /**
     * The conflation key, or {@code null}: a conflating subscriber that falls behind keeps only the
     * newest update with this key and canonical topic. Hub-side only: it is not part of the SSE event.
     */
    public String conflationKey() {
        return conflationKey;
    }

    @Override
    public String toString() {
        return "Update{topics=" + topics + (id == null ? "" : ", id=" + id) + (type == null ? "" : ", type=" + type)
                + (isPrivate ? ", private" : "") + (conflationKey == null ? "" : ", conflationKey=" + conflationKey)
                + ", data=" + data.length() + " chars}";
    }

    /** Builds an {@link Update}. Not thread-safe. */
    public static final class Builder {
        private final List<String> topics = new ArrayList<>(1);
        private String data = "";
        private String id;
        private String type;
        private long retry = NO_RETRY;
        private boolean isPrivate;
        private String conflationKey;

        private Builder() {
        }

        /** Adds a topic; the first added is the canonical topic. */
        public Builder topic(String topic) {
            topics.add(Objects.requireNonNull(topic, "topic"));
            return this;
        }

        public Builder data(String data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /** The event id; {@code null} lets the hub generate a {@code urn:uuid:} one. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder retry(long retryMillis) {
            if (retryMillis < 0) {
                throw new IllegalArgumentException("retry: " + retryMillis + " (expected: >= 0)");
            }
            this.retry = retryMillis;
            return this;
        }

        public Builder privateUpdate(boolean isPrivate) {
            this.isPrivate = isPrivate;
            return this;
        }

        /**
         * The conflation key ({@code null} for none): 1 to {@value #MAX_CONFLATION_KEY_LENGTH} characters,
         * none of them a control or format character (the rule of {@code id}); publishing an update that
         * breaks it fails with {@link IllegalArgumentException}, as an HTTP publish gets 400.
         */
        public Builder conflationKey(String key) {
            this.conflationKey = key;
            return this;
        }

        public Update build() {
            if (topics.isEmpty()) {
                throw new IllegalStateException("topics: [] (expected: at least one topic)");
            }
            return new Update(this);
        }
    }
}
