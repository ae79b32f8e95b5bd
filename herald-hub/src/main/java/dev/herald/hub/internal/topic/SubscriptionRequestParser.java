package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.form.FormData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the topic matchers and {@code last_event_id} of a subscription request (Mercure
 * §"Subscription", §"Reconciliation").
 *
 * <ul>
 *   <li>Query and body (a {@code QUERY}-method request) are united: every matcher parameter of
 *       either creates a subscription; {@code last_event_id} is taken from the query when present
 *       there, else from the body.</li>
 *   <li>{@code match} and {@code match_exact} select {@code exact}, {@code match_urlpattern} selects
 *       {@code urlpattern}. Parameter names are case-sensitive, and every other name in the reserved
 *       {@code match} namespace (equal to {@code match} or starting with it, ASCII
 *       case-insensitively: {@code match_foo}, {@code Match}, {@code matches}) is refused.</li>
 *   <li>At least one and at most {@code maxMatchers} matcher parameters (counted before
 *       de-duplication); each value is checked and compiled by the {@link TopicMatcherFactory}.</li>
 *   <li>Identical (type, value) pairs yield one matcher, as the specification allows.</li>
 *   <li>With pre-1.0 topic selectors enabled (compatibility mode, Mercure appendix "Changes from
 *       Pre-Standardization Deployments"), each {@code topic} parameter is a matcher too
 *       ({@link TopicMatcherFactory#topicSelector}), counted like the others, and the pre-1.0
 *       {@code lastEventID} parameter is read when {@code last_event_id} is absent. Without it,
 *       {@code topic} is an ordinary, ignored parameter — but a request with no matcher other than
 *       {@code topic} is told why it is refused.</li>
 * </ul>
 * Violations throw {@link InvalidSubscriptionException}, answered with 400. Names are checked first
 * (in request order), then the count, then values (in request order).
 *
 * <p>Instances are immutable and thread-safe if the factory is.
 */
public final class SubscriptionRequestParser {

    /** Default bound on the number of matcher parameters in one request. */
    public static final int DEFAULT_MAX_MATCHERS = 100;
    /** The bare parameter, selecting the default {@code exact} type. */
    public static final String MATCH = "match";
    public static final String MATCH_EXACT = "match_exact";
    public static final String MATCH_URLPATTERN = "match_urlpattern";
    public static final String LAST_EVENT_ID = "last_event_id";
    /** The pre-1.0 subscription parameter: a topic selector (compatibility mode only). */
    public static final String TOPIC = "topic";
    /** The pre-1.0 spelling of {@link #LAST_EVENT_ID} (compatibility mode only). */
    public static final String LEGACY_LAST_EVENT_ID = "lastEventID";

    private static final Map<String, String> TYPE_BY_PARAMETER = Map.of(
            MATCH, ExactMatcher.TYPE,
            MATCH_EXACT, ExactMatcher.TYPE,
            MATCH_URLPATTERN, UrlPatternMatcher.TYPE);
    private static final String SUPPORTED = MATCH + ", " + MATCH_EXACT + ", " + MATCH_URLPATTERN;

    private final TopicMatcherFactory factory;
    private final int maxMatchers;
    private final boolean topicSelectors;

    private SubscriptionRequestParser(TopicMatcherFactory factory, int maxMatchers, boolean topicSelectors) {
        this.factory = factory;
        this.maxMatchers = maxMatchers;
        this.topicSelectors = topicSelectors;
    }

    /** A parser allowing {@link #DEFAULT_MAX_MATCHERS} matchers. */
    public static SubscriptionRequestParser of(TopicMatcherFactory factory) {
        return of(factory, DEFAULT_MAX_MATCHERS);
    }

    /**
     * A parser creating matchers with {@code factory} and allowing {@code maxMatchers} matcher
     * parameters per request.
     *
     * @throws IllegalArgumentException if {@code maxMatchers} is not positive
     */
    public static SubscriptionRequestParser of(TopicMatcherFactory factory, int maxMatchers) {
        return of(factory, maxMatchers, false);
    }

    /**
     * As {@link #of(TopicMatcherFactory, int)}, also reading the pre-1.0 {@code topic} and
     * {@code lastEventID} parameters when {@code topicSelectors} is set.
     */
    public static SubscriptionRequestParser of(TopicMatcherFactory factory, int maxMatchers, boolean topicSelectors) {
        requireNonNull(factory, "factory");
        if (maxMatchers <= 0) {
            throw new IllegalArgumentException("maxMatchers: " + maxMatchers + " (expected: > 0)");
        }
        return new SubscriptionRequestParser(factory, maxMatchers, topicSelectors);
    }

    /** Parses a request whose parameters are all in the query component. */
    public SubscriptionRequest parse(FormData query) throws InvalidSubscriptionException {
        return parse(query, FormData.empty());
    }

    /** Parses a request with parameters in its query component and its body (either may be empty). */
    public SubscriptionRequest parse(FormData query, FormData body) throws InvalidSubscriptionException {
        requireNonNull(query, "query");
        requireNonNull(body, "body");
        FormData all = FormData.union(query, body);
        int count = 0;
        for (FormData.Field field : all) {
            if (topicSelectors && field.name().equals(TOPIC)) {
                count++;
                continue;
            }
            if (!isReservedName(field.name())) {
                continue;
            }
            if (!TYPE_BY_PARAMETER.containsKey(field.name())) {
                throw new InvalidSubscriptionException(Excerpt.of(field.name())
                        + ": unsupported matcher type (supported: " + SUPPORTED + ")");
            }
            count++;
        }
        if (count > maxMatchers) {
            throw new InvalidSubscriptionException("too many matchers: " + count + " (expected: <= " + maxMatchers
                    + ")");
        }
        if (count == 0) {
            if (topicSelectors) {
                throw new InvalidSubscriptionException("no topic matcher (expected: at least one of " + SUPPORTED
                        + ", " + TOPIC + ")");
            }
            throw new InvalidSubscriptionException("no topic matcher (expected: at least one of " + SUPPORTED + ")"
                    + (all.contains(TOPIC) ? "; the pre-1.0 topic parameter is accepted only by a hub in 0.x"
                            + " compatibility mode (--compat=0.x): use match=TOPIC or match_urlpattern=PATTERN" : ""));
        }
        Map<List<String>, TopicMatcher> matchers = new LinkedHashMap<>();
        for (FormData.Field field : all) {
            boolean selector = topicSelectors && field.name().equals(TOPIC);
            String type = TYPE_BY_PARAMETER.get(field.name());
            if (type == null && !selector) {
                continue;
            }
            TopicMatcher matcher;
            try {
                matcher = selector ? factory.topicSelector(field.value()) : factory.create(type, field.value());
            } catch (InvalidMatcherException e) {
                throw new InvalidSubscriptionException(field.name() + ": " + e.getMessage());
            }
            matchers.putIfAbsent(List.of(matcher.type(), matcher.value()), matcher);
        }
        String lastEventId = query.first(LAST_EVENT_ID).orElse(body.first(LAST_EVENT_ID).orElse(null));
        if (lastEventId == null && topicSelectors) {
            lastEventId = query.first(LEGACY_LAST_EVENT_ID).orElse(body.first(LEGACY_LAST_EVENT_ID).orElse(null));
        }
        return SubscriptionRequest.of(List.copyOf(matchers.values()), lastEventId);
    }

    /**
     * Whether {@code name} is in the reserved {@code match} namespace: {@code match} or any name
     * starting with it, compared ASCII case-insensitively.
     */
    public static boolean isReservedName(String name) {
        if (name.length() < 5) {
            return false;
        }
        String prefix = "match";
        for (int i = 0; i < 5; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
