package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.hub.internal.topic.InvalidMatcherException;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import dev.herald.hub.internal.topic.TopicSelectorMatcher;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The record a shared {@link dev.herald.hub.TicketStore} keeps for a stream ticket: what the
 * redeeming hub needs to rebuild the authorization of the token the ticket was issued for — its
 * {@code iss}, {@code sub} and {@code exp}, and its grants as the issuing hub validated them (each
 * one's actions, topic matchers by type and value, and payload), plus until when the ticket is
 * redeemable. Never the token itself, which outlives its tickets.
 *
 * <p>Compact JSON: {@code {"v":1,"iss":…,"sub":…,"exp":…,"until":…,"g":[{"a":"ps","t":[type,
 * value,…],"p":…}],"dp":…}}, instants in ISO-8601 (exact to the nanosecond). The redeeming hub
 * compiles the matchers again with its own factory; a cluster's hubs share one configuration, and a
 * matcher the factory refuses (a pre-1.0 selector on a hub without {@code --compat=0.x}) makes the
 * record unreadable, so the ticket is refused rather than redeemed with other grants.
 *
 * <p>Immutable and thread-safe (given a thread-safe factory, as its contract requires).
 */
public final class TicketCodec {

    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TopicMatcherFactory matchers;

    public TicketCodec(TopicMatcherFactory matchers) {
        this.matchers = requireNonNull(matchers, "matchers");
    }

    /** A decoded record: the token, and until when its ticket is redeemable. */
    public record Decoded(AccessToken token, Instant until) {

        public Decoded {
            requireNonNull(token, "token");
            requireNonNull(until, "until");
        }
    }

    /** The record of a ticket for {@code token}, redeemable until {@code until}. */
    public byte[] encode(AccessToken token, Instant until) {
        requireNonNull(token, "token");
        requireNonNull(until, "until");
        ObjectNode root = MAPPER.createObjectNode();
        root.put("v", VERSION);
        root.put("iss", token.issuer());
        token.subject().ifPresent(s -> root.put("sub", s));
        root.put("exp", token.expiresAt().toString());
        root.put("until", until.toString());
        ArrayNode grants = root.putArray("g");
        for (Grant grant : token.grants().grants()) {
            ObjectNode g = grants.addObject();
            g.put("a", (grant.publish() ? "p" : "") + (grant.subscribe() ? "s" : ""));
            ArrayNode topics = g.putArray("t");
            for (TopicMatcher m : grant.topics()) {
                topics.add(m.type()).add(m.value());
            }
            if (grant.payloadJson() != null) {
                g.put("p", grant.payloadJson());
            }
        }
        if (token.grants().defaultPayload() != null) {
            root.put("dp", token.grants().defaultPayload());
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a ticket record", e); // a tree of strings always serializes
        }
    }

    /**
     * The token and validity of {@code record}.
     *
     * @throws IllegalArgumentException if the record is not one {@link #encode} wrote (another version,
     *         damaged), or a matcher in it does not compile here; the message quotes nothing of it
     */
    public Decoded decode(byte[] record) {
        requireNonNull(record, "record");
        JsonNode root;
        try {
            root = MAPPER.readTree(record);
        } catch (IOException e) {
            throw new IllegalArgumentException("ticket record: not JSON");
        }
        if (root == null || !root.isObject() || root.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("ticket record: unknown version (expected: " + VERSION + ")");
        }
        String issuer = text(root, "iss");
        JsonNode sub = root.get("sub");
        Instant exp = instant(root, "exp");
        Instant until = instant(root, "until");
        List<Grant> grants = new ArrayList<>();
        for (JsonNode g : array(root, "g")) {
            String actions = text(g, "a");
            JsonNode topics = array(g, "t");
            if (topics.size() == 0 || topics.size() % 2 != 0) {
                throw new IllegalArgumentException("ticket record: topics not in type, value pairs");
            }
            List<TopicMatcher> compiled = new ArrayList<>(topics.size() / 2);
            for (int i = 0; i < topics.size(); i += 2) {
                compiled.add(matcher(topics.get(i).asText(), topics.get(i + 1).asText()));
            }
            JsonNode payload = g.get("p");
            grants.add(new Grant(actions.contains("p"), actions.contains("s"), compiled,
                    payload == null ? null : payload.asText()));
        }
        JsonNode defaultPayload = root.get("dp");
        Grants all = Grants.of(grants, defaultPayload == null ? null : defaultPayload.asText());
        return new Decoded(AccessToken.of(issuer, sub == null ? null : sub.asText(), exp, all), until);
    }

    private TopicMatcher matcher(String type, String value) {
        try {
            return TopicSelectorMatcher.TYPE.equals(type) ? matchers.topicSelector(value) : matchers.create(type, value);
        } catch (InvalidMatcherException | IllegalArgumentException e) {
            throw new IllegalArgumentException("ticket record: a " + Excerpt.of(type) + " matcher does not compile here");
        }
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("ticket record: " + name + " missing");
        }
        return value.textValue();
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("ticket record: " + name + " missing");
        }
        return value;
    }

    private static Instant instant(JsonNode node, String name) {
        try {
            return Instant.parse(text(node, name));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("ticket record: " + name + " not an instant");
        }
    }
}
