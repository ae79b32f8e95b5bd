package dev.herald.sse;

import java.util.Objects;

/**
 * One server-sent event: the fields of a {@code text/event-stream} block (WHATWG HTML §9.2.6).
 *
 * <p>Every part is optional. A {@code null} {@link #data()} means "no {@code data} field": such a
 * block updates the last event ID or reconnection time without dispatching anything in a browser.
 * An event that only carries a {@link #comment()} is written as comment lines (a keep-alive, for
 * example).
 *
 * <p>Values are not validated for line breaks here; {@link SseEncoder} refuses an {@code id} or
 * {@code type} that would break out of its line. For an event produced by {@link SseParser},
 * {@link #type()} is already defaulted to {@code "message"} and {@link #id()} is the last event ID
 * in effect when the event was dispatched (the {@code MessageEvent.lastEventId} of the standard).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SseEvent {

    /** The event type a browser uses when a block has no {@code event} field. */
    public static final String DEFAULT_TYPE = "message";

    /** Returned by {@link #retry()} when the event carries no reconnection time. */
    public static final long NO_RETRY = -1;

    private final String id;
    private final String type;
    private final String data;
    private final long retry;
    private final String comment;

    private SseEvent(String id, String type, String data, long retry, String comment) {
        this.id = id;
        this.type = type;
        this.data = data;
        this.retry = retry;
        this.comment = comment;
    }

    /** An unnamed event ({@code message} type) carrying {@code data}. */
    public static SseEvent of(String data) {
        return new SseEvent(null, null, Objects.requireNonNull(data, "data"), NO_RETRY, null);
    }

    /** An event of the given type carrying {@code data}. */
    public static SseEvent of(String type, String data) {
        return new SseEvent(null, Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(data, "data"), NO_RETRY, null);
    }

    /** A comment-only event, written as {@code :} lines and ignored by clients. */
    public static SseEvent ofComment(String comment) {
        return new SseEvent(null, null, null, NO_RETRY, Objects.requireNonNull(comment, "comment"));
    }

    /** An event that only sets the client's reconnection time, in milliseconds. */
    public static SseEvent ofRetry(long retryMillis) {
        return new SseEvent(null, null, null, checkRetry(retryMillis), null);
    }

    /** A builder with every field unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** Used by the parser for dispatched events; skips the checks a caller-built event gets. */
    static SseEvent dispatched(String lastEventId, String type, String data) {
        return new SseEvent(lastEventId, type, data, NO_RETRY, null);
    }

    /** The {@code id} field, or {@code null} when absent. An empty string resets the client's last event ID. */
    public String id() {
        return id;
    }

    /** The {@code event} field, or {@code null} when absent (clients then use {@value #DEFAULT_TYPE}). */
    public String type() {
        return type;
    }

    /** The data, lines joined with LF, or {@code null} when the event has no {@code data} field. */
    public String data() {
        return data;
    }

    /** The {@code retry} field in milliseconds, or {@link #NO_RETRY}. */
    public long retry() {
        return retry;
    }

    /** The comment text, or {@code null}. */
    public String comment() {
        return comment;
    }

    /** A builder initialised with this event's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.type = type;
        b.data = data;
        b.retry = retry;
        b.comment = comment;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SseEvent)) {
            return false;
        }
        SseEvent that = (SseEvent) o;
        return retry == that.retry
                && Objects.equals(id, that.id)
                && Objects.equals(type, that.type)
                && Objects.equals(data, that.data)
                && Objects.equals(comment, that.comment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, data, retry, comment);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SseEvent{");
        if (id != null) {
            sb.append("id=").append(id).append(", ");
        }
        if (type != null) {
            sb.append("type=").append(type).append(", ");
        }
        if (data != null) {
            sb.append("data=").append(data.length() > 64 ? data.substring(0, 64) + "…" : data).append(", ");
        }
        if (retry != NO_RETRY) {
            sb.append("retry=").append(retry).append(", ");
        }
        if (comment != null) {
            sb.append("comment=").append(comment).append(", ");
        }
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 2);
        }
        return sb.append('}').toString();
    }

    private static long checkRetry(long retryMillis) {
        if (retryMillis < 0) {
            throw new IllegalArgumentException("retry: " + retryMillis + " (expected: >= 0)");
        }
        return retryMillis;
    }

    /** Builds an {@link SseEvent}. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private String id;
        private String type;
        private String data;
        private long retry = NO_RETRY;
        private String comment;

        private Builder() {
        }

        /** Sets the {@code id} field; {@code null} removes it. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Sets the {@code event} field; {@code null} removes it. */
        public Builder type(String type) {
            this.type = type;
            return this;
        }

        /** Sets the data; line breaks (CR, LF, CRLF) become separate {@code data} lines. */
        public Builder data(String data) {
            this.data = data;
            return this;
        }

        /** Sets the reconnection time in milliseconds. */
        public Builder retry(long retryMillis) {
            this.retry = checkRetry(retryMillis);
            return this;
        }

        /** Removes the reconnection time. */
        public Builder noRetry() {
            this.retry = NO_RETRY;
            return this;
        }

        /** Sets a comment written before the fields. */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /** The event. */
        public SseEvent build() {
            return new SseEvent(id, type, data, retry, comment);
        }
    }
}
