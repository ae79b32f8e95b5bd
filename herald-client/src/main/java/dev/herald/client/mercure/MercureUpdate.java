package dev.herald.client.mercure;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An update to publish to a Mercure hub: its topics (the first is the canonical one, the others are
 * alternates), data, and the optional {@code id}, {@code type}, {@code retry} and {@code private} fields.
 * Values the hub must reject (control or format characters in an id, type or topic, the reserved id
 * {@code earliest} or one starting with {@code #}, the reserved type {@code mercure}) are refused here
 * already.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MercureUpdate {

    private final List<String> topics;
    private final String data;
    private final String id;
    private final String type;
    private final long retry;
    private final boolean privateUpdate;

    private MercureUpdate(Builder b) {
        this.topics = List.copyOf(b.topics);
        this.data = b.data;
        this.id = b.id;
        this.type = b.type;
        this.retry = b.retry;
        this.privateUpdate = b.privateUpdate;
    }

    /** A builder for an update of {@code topic}, its canonical topic. */
    public static Builder builder(String topic) {
        return new Builder().topic(topic);
    }

    /** The topics; the first is the canonical one. */
    public List<String> topics() {
        return topics;
    }

    /** The data, or {@code null}. */
    public String data() {
        return data;
    }

    /** The id requested for the update, or {@code null} to let the hub choose. */
    public String id() {
        return id;
    }

    /** The event type, or {@code null}. */
    public String type() {
        return type;
    }

    /** The reconnection time to send to subscribers in milliseconds, or -1 for none. */
    public long retry() {
        return retry;
    }

    /** Whether only subscribers authorized for its topics receive it. */
    public boolean isPrivate() {
        return privateUpdate;
    }

    /** The {@code application/x-www-form-urlencoded} body of the publish request. */
    public String toForm() {
        StringBuilder sb = new StringBuilder();
        for (String topic : topics) {
            field(sb, "topic", topic);
        }
        if (data != null) {
            field(sb, "data", data);
        }
        if (privateUpdate) {
            field(sb, "private", "on");
        }
        if (id != null) {
            field(sb, "id", id);
        }
        if (type != null) {
            field(sb, "type", type);
        }
        if (retry >= 0) {
            field(sb, "retry", Long.toString(retry));
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (sb.length() > 0) {
            sb.append('&');
        }
        sb.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "MercureUpdate{topics=" + topics + (id != null ? ", id=" + id : "") + (type != null ? ", type=" + type : "")
                + (privateUpdate ? ", private" : "") + (data != null ? ", " + data.length() + " chars of data" : "") + '}';
    }

    /** Builds a {@link MercureUpdate}. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private final List<String> topics = new ArrayList<>();
        private String data;
        private String id;
        private String type;
        private long retry = -1;
        private boolean privateUpdate;

        private Builder() {
        }

        /** Adds a topic; the first one is canonical, the others alternates. */
        public Builder topic(String topic) {
            requireNonNull(topic, "topic");
            if (topic.isEmpty() || topic.equals("*")) {
                throw new IllegalArgumentException("topic: \"" + topic + "\" (expected: a non-empty topic other than *)");
            }
            Checks.checkText("topic", topic);
            topics.add(topic);
            return this;
        }

        /** The data (any text; CR and CRLF reach subscribers as LF). */
        public Builder data(String data) {
            this.data = data;
            return this;
        }

        /** The id to give the update; by default the hub chooses one. */
        public Builder id(String id) {
            requireNonNull(id, "id");
            if (id.isEmpty() || id.startsWith("#") || id.equals("earliest")) {
                throw new IllegalArgumentException("id: \"" + id + "\" (expected: non-empty, not starting with #, not earliest)");
            }
            Checks.checkText("id", id);
            this.id = id;
            return this;
        }

        /** The event type subscribers see. */
        public Builder type(String type) {
            requireNonNull(type, "type");
            if (type.isEmpty() || type.equals("mercure")) {
                throw new IllegalArgumentException("type: \"" + type + "\" (expected: non-empty, not mercure)");
            }
            Checks.checkText("type", type);
            this.type = type;
            return this;
        }

        /** The reconnection time to send to subscribers, in milliseconds. */
        public Builder retry(long retryMillis) {
            if (retryMillis < 0) {
                throw new IllegalArgumentException("retry: " + retryMillis + " (expected: >= 0)");
            }
            this.retry = retryMillis;
            return this;
        }

        /** Marks the update private: only subscribers authorized for its topics receive it. */
        public Builder privateUpdate(boolean privateUpdate) {
            this.privateUpdate = privateUpdate;
            return this;
        }

        /** The update. */
        public MercureUpdate build() {
            return new MercureUpdate(this);
        }
    }
}
