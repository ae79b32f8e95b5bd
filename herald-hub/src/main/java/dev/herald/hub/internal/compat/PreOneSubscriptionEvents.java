package dev.herald.hub.internal.compat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.herald.hub.internal.subscriptions.SubscriptionTopics;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicSelectorMatcher;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The pre-1.0 shape of subscription events, for the active subscriptions feature to publish in
 * compatibility mode for subscriptions made with a {@code topic} selector (Mercure appendix
 * "Changes from Pre-Standardization Deployments"; Mercure 1.0 §"Subscription Events" has the new
 * shape); {@link dev.herald.hub.internal.subscriptions.SubscriptionEvents} publishes them.
 * Pre-1.0 subscribers follow these with {@code topic=/.well-known/mercure/subscriptions{/topic}{/subscriber}}
 * and tokens granting that template, and read them with {@code onmessage}:
 *
 * <ul>
 *   <li>topic: the hub's path, {@code /subscriptions/}, the selector, {@code /}, the subscriber
 *       identifier — each of the last two percent-encoded once as a whole, as
 *       {@link SubscriptionTopics#encode} does the 1.0 topic's segments: the 1.0 topic without its
 *       {@code {match_type}} segment;</li>
 *   <li>data: {@code {"@context": "https://mercure.rocks/", "id": <the topic>, "type": "Subscription",
 *       "subscriber": <the identifier>, "topic": <the selector>, "active": true|false,
 *       "payload": <mercure.payload>}}, the payload only when the token has one: the members, and
 *       their order, of the pre-1.0 reference hub's events (a JSON-LD document, hence the context);</li>
 *   <li>the update is private, like 1.0 subscription events, and has no {@code type} (so no SSE
 *       {@code event:} field): pre-1.0 clients listen with {@code onmessage}, which a
 *       {@code mercure} event type would bypass.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PreOneSubscriptionEvents {

    private static final JsonFactory JSON = new JsonFactory();
    /** The JSON-LD context of the pre-1.0 subscription documents. */
    static final String CONTEXT = "https://mercure.rocks/";

    private PreOneSubscriptionEvents() {
    }

    /** Whether {@code matcher} came from a pre-1.0 {@code topic} selector, so its events take the pre-1.0 shape. */
    public static boolean appliesTo(TopicMatcher matcher) {
        return TopicSelectorMatcher.TYPE.equals(requireNonNull(matcher, "matcher").type());
    }

    /**
     * The topic of the events of the subscription of {@code subscriber} with {@code selector}, on the
     * hub at {@code hubPath} (e.g. {@code /.well-known/mercure}, without a trailing {@code /}).
     */
    public static String topic(String hubPath, String selector, String subscriber) {
        requireNonNull(hubPath, "hubPath");
        return hubPath + "/subscriptions/" + SubscriptionTopics.encode(requireNonNull(selector, "selector")) + "/"
                + SubscriptionTopics.encode(requireNonNull(subscriber, "subscriber"));
    }

    /**
     * The event's data.
     *
     * @param payloadJson the token's {@code mercure.payload} as JSON text (from
     *        {@code AccessToken.payloadFor}), or {@code null} for none
     */
    public static String data(String topic, String selector, String subscriber, boolean active, String payloadJson) {
        StringWriter out = new StringWriter(128 + topic.length() + selector.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@context", CONTEXT);
            g.writeStringField("id", requireNonNull(topic, "topic"));
            g.writeStringField("type", "Subscription");
            g.writeStringField("subscriber", requireNonNull(subscriber, "subscriber"));
            g.writeStringField("topic", requireNonNull(selector, "selector"));
            g.writeBooleanField("active", active);
            if (payloadJson != null) {
                g.writeFieldName("payload");
                g.writeRawValue(payloadJson); // compact JSON the token verifier produced
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }
}
