package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.hub.internal.topic.TopicRules;
import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import dev.herald.sse.SseParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One subscription event as the hub publishes it, in either shape: Mercure 1.0's (§"Subscription
 * Events": SSE type {@code mercure}, the data a {@link SubscriptionDocument}) or the pre-1.0 one of
 * {@code --compat=0.x} (no SSE type, the data of {@link dev.herald.hub.internal.compat.PreOneSubscriptionEvents}).
 * Either is private, on one topic, and says whether the subscription is {@code active}.
 *
 * <p>Besides encoding its frame, it turns a start into its end ({@link #ended()}) for the hubs that
 * publish ends on behalf of others (the connections of a crashed run, a dead cluster node), and it
 * reads back what it wrote: from a stored frame ({@link #fromFrame}) or from the record a
 * {@link dev.herald.hub.SubscriptionStore} keeps ({@link #record()}, {@link #fromRecord}).
 *
 * <p>Immutable and thread-safe.
 */
public final class SubscriptionEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The pre-1.0 document's {@code type}. */
    static final String PRE_ONE_TYPE = "Subscription";
    /** The first byte of a record: which shape the rest (the data) has. */
    private static final byte RECORD_V1 = '1';
    private static final byte RECORD_PRE_ONE = '0';

    private final String topic;
    private final SubscriptionDocument document; // the 1.0 shape, or null
    private final String data;
    private final boolean active;

    private SubscriptionEvent(String topic, SubscriptionDocument document, String data, boolean active) {
        this.topic = topic;
        this.document = document;
        this.data = data;
        this.active = active;
    }

    /** The 1.0 event of {@code document}, on its topic ({@link SubscriptionDocument#id()}). */
    public static SubscriptionEvent of(SubscriptionDocument document) {
        return new SubscriptionEvent(document.id(), document, document.json(), document.active());
    }

    /** A pre-1.0 event with {@code data} (a pre-1.0 subscription document saying {@code active}) on {@code topic}. */
    public static SubscriptionEvent preOne(String topic, String data, boolean active) {
        return new SubscriptionEvent(requireNonNull(topic, "topic"), null, requireNonNull(data, "data"), active);
    }

    /** The topic of the event, the subscription's. */
    public String topic() {
        return topic;
    }

    public boolean active() {
        return active;
    }

    /** The 1.0 document, or {@code null} for a pre-1.0 event (which the 1.0 Subscription API does not list). */
    public SubscriptionDocument document() {
        return document;
    }

    /** The SSE frame with id {@code eventId}: type {@code mercure} for the 1.0 shape, none for the pre-1.0 one. */
    public byte[] frame(String eventId) {
        SseEvent.Builder b = SseEvent.builder().id(eventId).data(data);
        if (document != null) {
            b.type(TopicRules.RESERVED_TYPE);
        }
        return SseEncoder.encode(b.build());
    }

    /** The end of this subscription: the same event with {@code active} false. */
    public SubscriptionEvent ended() {
        if (!active) {
            return this;
        }
        ObjectNode n = (ObjectNode) tree(data); // written by this hub, or read back and checked by fromFrame
        n.put("active", false);
        String ended = n.toString();
        return document != null ? of(SubscriptionDocument.parse(ended)) : preOne(topic, ended, false);
    }

    /** What a subscription store keeps for this subscription: its shape and its data. */
    public byte[] record() {
        byte[] json = data.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[json.length + 1];
        r[0] = document != null ? RECORD_V1 : RECORD_PRE_ONE;
        System.arraycopy(json, 0, r, 1, json.length);
        return r;
    }

    /**
     * Reads a {@link #record()} kept under {@code topic}.
     *
     * @throws IllegalArgumentException if it is not one, or names another topic
     */
    public static SubscriptionEvent fromRecord(String topic, byte[] record) {
        requireNonNull(topic, "topic");
        if (record.length < 2 || (record[0] != RECORD_V1 && record[0] != RECORD_PRE_ONE)) {
            throw new IllegalArgumentException("not a subscription record");
        }
        String json = new String(Arrays.copyOfRange(record, 1, record.length), StandardCharsets.UTF_8);
        SubscriptionEvent e = record[0] == RECORD_V1 ? of(SubscriptionDocument.parse(json)) : preOne(json);
        if (!e.topic.equals(topic)) {
            throw new IllegalArgumentException("subscription record under " + topic + " names " + e.topic);
        }
        return e;
    }

    /**
     * Reads the subscription event a stored update on {@code topic} carries, in either shape; {@code null}
     * when the frame is none (it is not the hub's, or unreadable).
     */
    public static SubscriptionEvent fromFrame(String topic, byte[] frame) {
        SseEvent[] event = new SseEvent[1];
        SseParser.create(e -> event[0] = e).feed(frame);
        if (event[0] == null) {
            return null;
        }
        SubscriptionEvent e;
        try {
            if (TopicRules.RESERVED_TYPE.equals(event[0].type())) {
                e = of(SubscriptionDocument.parse(event[0].data()));
            } else if (event[0].type() == null || SseEvent.DEFAULT_TYPE.equals(event[0].type())) { // no event: field
                e = preOne(event[0].data());
            } else {
                return null;
            }
        } catch (IllegalArgumentException notOne) {
            return null;
        }
        return e.topic.equals(topic) ? e : null;
    }

    /** Reads pre-1.0 data, checking its {@code type}, {@code id} and {@code active}. */
    private static SubscriptionEvent preOne(String data) {
        JsonNode n = tree(data);
        JsonNode id = n.get("id");
        if (!n.isObject() || !PRE_ONE_TYPE.equals(n.path("type").textValue()) || id == null || !id.isTextual()
                || !n.path("active").isBoolean()) {
            throw new IllegalArgumentException("not a pre-1.0 subscription document");
        }
        return preOne(id.textValue(), data, n.get("active").booleanValue());
    }

    private static JsonNode tree(String data) {
        try {
            JsonNode n = JSON.readTree(data);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    @Override
    public String toString() {
        return topic + " " + data;
    }
}
