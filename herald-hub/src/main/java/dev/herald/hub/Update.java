package dev.herald.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An update to publish (Mercure §"Publication"): one or more topics (the first is canonical, the
 * others alternates), the data, and the optional SSE {@code id}, {@code type} and {@code retry}.
 * A {@linkplain #isPrivate() private} update reaches only subscribers whose token grants
 * {@code subscribe} on one of its topics.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Update {

    /** Returned by {@link #retry()} when the update sets no reconnection time. */
    public static final long NO_RETRY = -1;

    private final List<String> topics;
    private final String data;
    private final String id;
    private final String type;
    private final long retry;
    private final boolean isPrivate;

    private Update(Builder b) {
        this.topics = Collections.unmodifiableList(new ArrayList<>(b.topics));
        this.data = b.data;
        this.id = b.id;
        this.type = b.type;
        this.retry = b.retry;
        this.isPrivate = b.isPrivate;
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

    @Override
    public String toString() {
        return "Update{topics=" + topics + (id == null ? "" : ", id=" + id) + (type == null ? "" : ", type=" + type)
                + (isPrivate ? ", private" : "") + ", data=" + data.length() + " chars}";
    }

    /** Builds an {@link Update}. Not thread-safe. */
    public static final class Builder {
        private final List<String> topics = new ArrayList<>(1);
        private String data = "";
        private String id;
        private String type;
        private long retry = NO_RETRY;
        private boolean isPrivate;

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

        public Update build() {
            if (topics.isEmpty()) {
                throw new IllegalStateException("topics: [] (expected: at least one topic)");
            }
            return new Update(this);
        }
    }
}
