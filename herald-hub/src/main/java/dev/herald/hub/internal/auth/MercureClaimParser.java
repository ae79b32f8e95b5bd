package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.internal.topic.InvalidMatcherException;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the pre-1.0 {@code mercure} claim into {@link Grants} (Mercure appendix "Changes from
 * Pre-Standardization Deployments"; read only in compatibility mode, and only when the token has
 * no {@code authorization_details}):
 *
 * <pre>{@code
 * "mercure": {"publish": ["https://example.com/books/{id}"], "subscribe": ["*"], "payload": {"user": 1}}
 * }</pre>
 *
 * <ul>
 *   <li>the claim is an object; {@code publish} and {@code subscribe}, each optional (JSON
 *       {@code null} counts as absent, as with the pre-1.0 hubs: it grants nothing), are arrays of
 *       non-empty strings, each a topic selector ({@link TopicMatcherFactory#topicSelector}: a URI
 *       Template, a plain string, or {@code *});
 *   <li>{@code payload}, any JSON value but {@code null}, is the payload of every subscription of
 *       the subscriber (kept as compact JSON);
 *   <li>at most {@code maxSelectors} selectors in all, each at most {@code maxPatternLength}
 *       characters — the bounds 1.0 tokens get, so a pre-1.0 token cannot cost more to compile.
 * </ul>
 * Any other shape, or a selector the factory refuses, rejects the whole token.
 *
 * <p>Immutable and thread-safe (given a thread-safe factory).
 */
final class MercureClaimParser {

    /** The claim's name. */
    static final String CLAIM = "mercure";

    private final TopicMatcherFactory matchers;
    private final ObjectMapper mapper;
    private final int maxSelectors;
    private final int maxPatternLength;

    MercureClaimParser(TopicMatcherFactory matchers, ObjectMapper mapper, int maxSelectors, int maxPatternLength) {
        this.matchers = requireNonNull(matchers, "matchers");
        this.mapper = requireNonNull(mapper, "mapper");
        this.maxSelectors = maxSelectors;
        this.maxPatternLength = maxPatternLength;
    }

    /**
     * The grants of the claim value {@code claim} ({@code null}: none).
     *
     * @throws InvalidTokenException on any defect or exceeded limit
     */
    Grants parse(JsonNode claim) throws InvalidTokenException {
        if (claim == null || claim.isNull()) {
            return Grants.none();
        }
        if (!claim.isObject()) {
            throw invalid("mercure claim is not an object");
        }
        List<TopicMatcher> publish = selectors(claim.get("publish"), "publish");
        List<TopicMatcher> subscribe = selectors(claim.get("subscribe"), "subscribe");
        if (publish.size() + subscribe.size() > maxSelectors) {
            throw invalid("mercure claim has more than " + maxSelectors + " selectors");
        }
        List<Grant> grants = new ArrayList<>(2);
        if (!publish.isEmpty()) {
            grants.add(new Grant(true, false, publish, null));
        }
        if (!subscribe.isEmpty()) {
            grants.add(new Grant(false, true, subscribe, null));
        }
        String payload = null;
        JsonNode value = claim.get("payload");
        if (value != null && !value.isNull()) {
            try {
                payload = mapper.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw invalid("mercure.payload cannot be serialized");
            }
        }
        return Grants.of(grants, payload);
    }

    private List<TopicMatcher> selectors(JsonNode array, String member) throws InvalidTokenException {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw invalid("mercure." + member + " is not an array");
        }
        if (array.size() > maxSelectors) {
            throw invalid("mercure claim has more than " + maxSelectors + " selectors");
        }
        List<TopicMatcher> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode selector = array.get(i);
            String where = "mercure." + member + "[" + i + "]";
            if (!selector.isTextual() || selector.textValue().isEmpty()) {
                throw invalid(where + " is not a non-empty string");
            }
            if (selector.textValue().length() > maxPatternLength) {
                throw invalid(where + " is longer than " + maxPatternLength + " characters");
            }
            try {
                out.add(requireNonNull(matchers.topicSelector(selector.textValue()), "matcher"));
            } catch (InvalidMatcherException e) {
                throw invalid(where + " is not a valid topic selector");
            }
        }
        return out;
    }

    private static InvalidTokenException invalid(String reason) {
        return new InvalidTokenException(reason);
    }
}
