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
 * Validates the {@code authorization_details} claim (RFC 9396) and turns its Mercure entries into
 * {@link Grants} (Mercure §"Authorization Details", §"Topic Matcher List", §"Payloads").
 *
 * <p>Every defect rejects the whole token: no entry is acted on if any entry is invalid, since
 * partial acceptance would silently change what the token authorizes. Precisely:
 *
 * <ul>
 *   <li>the claim, when present, is an array of objects each with a string {@code type} (RFC 9396
 *       §2); entries of another {@code type} are skipped unexamined;
 *   <li>a Mercure entry ({@code type} equal, byte by byte, to {@value #MERCURE_TYPE}) has
 *       {@code actions}, a non-empty array of strings, of which {@code publish} and {@code subscribe}
 *       are recognized and any other string is ignored;
 *   <li>{@code topics}, a non-empty array of objects, each with a non-empty string {@code match} and
 *       an optional string {@code match_type} (default {@code exact}, unsupported → refused), compiled
 *       by the hub's {@link TopicMatcherFactory} ({@code *} is the wildcard whatever the type);
 *   <li>an optional {@code payload}, a JSON object (kept, for {@code subscribe}, as compact JSON);
 *   <li>at most {@code maxDetails} Mercure entries, {@code maxTopics} topics each, and
 *       {@code maxPatternLength} characters per {@code match}.
 * </ul>
 *
 * Explicit JSON {@code null} is never taken for an absent member: it is a defect.
 *
 * <p>Immutable and thread-safe (given a thread-safe factory, as its contract requires).
 */
final class AuthorizationDetailsParser {

    static final String MERCURE_TYPE = "https://mercure.rocks/authorization-detail";
    static final String DEFAULT_MATCH_TYPE = "exact";

    private final TopicMatcherFactory matchers;
    private final ObjectMapper mapper;
    private final int maxDetails;
    private final int maxTopics;
    private final int maxPatternLength;

    AuthorizationDetailsParser(TopicMatcherFactory matchers, ObjectMapper mapper, int maxDetails, int maxTopics,
            int maxPatternLength) {
        this.matchers = requireNonNull(matchers, "matchers");
        this.mapper = requireNonNull(mapper, "mapper");
        this.maxDetails = maxDetails;
        this.maxTopics = maxTopics;
        this.maxPatternLength = maxPatternLength;
    }

    /**
     * The grants of the claim value {@code claim}, {@code null} when the token has no such claim.
     *
     * @throws InvalidTokenException on any defect or exceeded limit
     */
    Grants parse(JsonNode claim) throws InvalidTokenException {
        if (claim == null) {
            return Grants.none();
        }
        if (!claim.isArray()) {
            throw invalid("authorization_details is not an array");
        }
        List<Grant> grants = new ArrayList<>();
        int mercureDetails = 0;
        for (int i = 0; i < claim.size(); i++) {
            JsonNode detail = claim.get(i);
            if (!detail.isObject()) {
                throw invalid("authorization_details[" + i + "] is not an object");
            }
            JsonNode type = detail.get("type");
            if (type == null || !type.isTextual()) {
                throw invalid("authorization_details[" + i + "].type is missing or not a string");
            }
            if (!MERCURE_TYPE.equals(type.textValue())) {
                continue; // another API's detail: not ours to interpret (RFC 9396 §2)
            }
            if (++mercureDetails > maxDetails) {
                throw invalid("more than " + maxDetails + " Mercure authorization details");
            }
            grants.add(parseMercureDetail(detail, i));
        }
        return Grants.of(grants);
    }

    private Grant parseMercureDetail(JsonNode detail, int index) throws InvalidTokenException {
        String where = "authorization_details[" + index + "]";
        JsonNode actions = detail.get("actions");
        if (actions == null || !actions.isArray() || actions.isEmpty()) {
            throw invalid(where + ".actions is not a non-empty array");
        }
        boolean publish = false;
        boolean subscribe = false;
        for (JsonNode action : actions) {
            if (!action.isTextual()) {
                throw invalid(where + ".actions has a non-string entry");
            }
            // unrecognized actions grant nothing and do not invalidate the token (§"Authorization Details")
            publish |= action.textValue().equals("publish");
            subscribe |= action.textValue().equals("subscribe");
        }

        JsonNode topics = detail.get("topics");
        if (topics == null || !topics.isArray() || topics.isEmpty()) {
            throw invalid(where + ".topics is not a non-empty array");
        }
        if (topics.size() > maxTopics) {
            throw invalid(where + ".topics has more than " + maxTopics + " entries");
        }
        List<TopicMatcher> compiled = new ArrayList<>(topics.size());
        for (int t = 0; t < topics.size(); t++) {
            compiled.add(parseTopic(topics.get(t), where + ".topics[" + t + "]"));
        }

        String payloadJson = null;
        if (detail.has("payload")) {
            JsonNode payload = detail.get("payload");
            if (!payload.isObject()) {
                throw invalid(where + ".payload is not an object");
            }
            try {
                payloadJson = mapper.writeValueAsString(payload);
            } catch (JsonProcessingException e) {
                throw invalid(where + ".payload cannot be serialized");
            }
        }
        return new Grant(publish, subscribe, compiled, payloadJson);
    }

    private TopicMatcher parseTopic(JsonNode topic, String where) throws InvalidTokenException {
        if (!topic.isObject()) {
            // earlier drafts allowed bare strings; reinterpreting them could change a token's meaning
            throw invalid(where + " is not an object");
        }
        JsonNode match = topic.get("match");
        if (match == null || !match.isTextual() || match.textValue().isEmpty()) {
            throw invalid(where + ".match is missing, empty or not a string");
        }
        String value = match.textValue();
        if (value.length() > maxPatternLength) {
            throw invalid(where + ".match is longer than " + maxPatternLength + " characters");
        }
        String type = DEFAULT_MATCH_TYPE;
        if (topic.has("match_type")) {
            JsonNode matchType = topic.get("match_type");
            if (!matchType.isTextual()) {
                throw invalid(where + ".match_type is not a string");
            }
            type = matchType.textValue();
        }
        try {
            return requireNonNull(matchers.create(type, value), "matcher");
        } catch (InvalidMatcherException | IllegalArgumentException e) {
            // unsupported match_type or a value invalid for it: the grant cannot be evaluated (§"Topic Matcher List")
            throw invalid(where + " is not a valid " + Excerpt.of(type) + " matcher");
        }
    }

    private static InvalidTokenException invalid(String reason) {
        return new InvalidTokenException(reason);
    }
}
