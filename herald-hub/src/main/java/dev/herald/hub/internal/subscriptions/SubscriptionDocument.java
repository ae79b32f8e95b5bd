package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON document of one subscription (Mercure §"Subscription Events"): {@code id} (the topic of its
 * events), {@code type} {@code "subscription"}, {@code match_type}, {@code match}, {@code subscriber},
 * {@code active}, and {@code payload} when the subscriber's token has one for this matcher. The same
 * bytes are the data of the subscription event and the body of the API's single-subscription
 * resource, and an entry of the collections.
 *
 * <p>Immutable and thread-safe (the JSON bytes are never handed out for modification).
 */
public final class SubscriptionDocument {

    static final String TYPE = "subscription";
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final String id;
    private final String matchType;
    private final String match;
    private final String subscriber;
    private final boolean active;
    private final byte[] json;

    private SubscriptionDocument(String id, String matchType, String match, String subscriber, boolean active,
                                 byte[] json) {
        this.id = id;
        this.matchType = matchType;
        this.match = match;
        this.subscriber = subscriber;
        this.active = active;
        this.json = json;
    }

    /**
     * The document of a subscription.
     *
     * @param payloadJson the subscription's payload as JSON object text (validated when the token was), or {@code null}
     */
    public static SubscriptionDocument of(SubscriptionTopics topics, String matchType, String match, String subscriber,
                                          boolean active, String payloadJson) {
        String id = topics.topic(matchType, match, subscriber);
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + 4 * (match.length() + subscriber.length()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("type", TYPE);
            g.writeStringField("match_type", matchType);
            g.writeStringField("match", match);
            g.writeStringField("subscriber", subscriber);
            g.writeBooleanField("active", active);
            if (payloadJson != null) {
                g.writeFieldName("payload");
                g.writeRawValue(payloadJson);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return new SubscriptionDocument(id, matchType, match, subscriber, active, out.toByteArray());
    }

    /**
     * Reads a document this class wrote (the data of a subscription event).
     *
     * @throws IllegalArgumentException if it is not such a document
     */
    public static SubscriptionDocument parse(String data) {
        requireNonNull(data, "data");
        JsonNode n;
        try {
            n = MAPPER.readTree(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (n == null || !n.isObject() || !TYPE.equals(text(n, "type")) || !n.path("active").isBoolean()) {
            throw new IllegalArgumentException("not a subscription document");
        }
        String id = text(n, "id");
        String matchType = text(n, "match_type");
        String match = text(n, "match");
        String subscriber = text(n, "subscriber");
        if (id == null || matchType == null || match == null || subscriber == null) {
            throw new IllegalArgumentException("subscription document without id, match_type, match or subscriber");
        }
        return new SubscriptionDocument(id, matchType, match, subscriber, n.get("active").booleanValue(),
                data.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** The topic of the subscription's events. */
    public String id() {
        return id;
    }

    public String matchType() {
        return matchType;
    }

    public String match() {
        return match;
    }

    public String subscriber() {
        return subscriber;
    }

    public boolean active() {
        return active;
    }

    /** The JSON text as UTF-8 bytes, shared: callers must not modify them. */
    public byte[] jsonBytes() {
        return json;
    }

    /** The JSON text. */
    public String json() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return json();
    }
}
