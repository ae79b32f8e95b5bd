package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.TopicMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a token authorizes (Mercure §"Authorization Details"): a token grants an action on a topic
 * when one of its Mercure authorization details lists the action and has a topic matcher selecting
 * the topic. A token without Mercure authorization details grants nothing.
 *
 * <ul>
 *   <li>{@link #canPublish(List)}: the update may be published only if <em>every</em> topic,
 *       canonical and alternate, is granted {@code publish} (§"Publishers");
 *   <li>{@link #canSubscribe(List)}: a private update may be delivered if <em>at least one</em>
 *       of its topics is granted {@code subscribe} (§"Subscribers");
 *   <li>{@link #payloadFor(String)}: the payload of the first {@code subscribe} detail whose topics
 *       select the subscription's own matcher string (§"Payloads").
 * </ul>
 *
 * <p>Immutable and thread-safe; the checks allocate nothing.
 */
public final class Grants {

    private static final TopicMatcher[] NO_MATCHERS = new TopicMatcher[0];
    private static final Grants NONE = new Grants(List.of(), null);

    private final TopicMatcher[] publish;
    private final TopicMatcher[] subscribe;
    private final boolean publishEverything;
    private final boolean subscribeEverything;
    /** The subscribe grants, in token order: payload selection is order-dependent. */
    private final Grant[] subscribeGrants;
    /** The pre-1.0 token-wide payload ({@code mercure.payload}), or {@code null}. */
    private final String defaultPayload;
    /** Every grant, in token order: what a stream ticket's record keeps ({@link TicketCodec}). */
    private final List<Grant> grants;

    private Grants(List<Grant> grants, String defaultPayload) {
        this.defaultPayload = defaultPayload;
        this.grants = List.copyOf(grants);
        List<TopicMatcher> publishMatchers = new ArrayList<>();
        List<TopicMatcher> subscribeMatchers = new ArrayList<>();
        List<Grant> subscribers = new ArrayList<>();
        boolean everyPublish = false;
        boolean everySubscribe = false;
        for (Grant grant : grants) {
            for (TopicMatcher matcher : grant.topics()) {
                if (grant.publish()) {
                    publishMatchers.add(matcher);
                    everyPublish |= matcher.isWildcard();
                }
                if (grant.subscribe()) {
                    subscribeMatchers.add(matcher);
                    everySubscribe |= matcher.isWildcard();
                }
            }
            if (grant.subscribe()) {
                subscribers.add(grant);
            }
        }
        this.publish = publishMatchers.toArray(NO_MATCHERS);
        this.subscribe = subscribeMatchers.toArray(NO_MATCHERS);
        this.publishEverything = everyPublish;
        this.subscribeEverything = everySubscribe;
        this.subscribeGrants = subscribers.toArray(new Grant[0]);
    }

    /** Grants nothing: a token without Mercure authorization details. */
    public static Grants none() {
        return NONE;
    }

    /** The grants of these validated details, in token order. */
    static Grants of(List<Grant> grants) {
        return of(grants, null);
    }

    /**
     * The grants of a pre-1.0 {@code mercure} claim: {@code defaultPayload} (compact JSON, or
     * {@code null}) is the payload of every subscription, as {@code mercure.payload} was.
     */
    static Grants of(List<Grant> grants, String defaultPayload) {
        requireNonNull(grants, "grants");
        return grants.isEmpty() && defaultPayload == null ? NONE : new Grants(grants, defaultPayload);
    }

    /** Whether {@code publish} is granted on every one of {@code topics}; {@code false} for no topics. */
    public boolean canPublish(List<String> topics) {
        requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            return false; // an update always has a topic: never authorize a vacuous request
        }
        if (publishEverything) {
            return true;
        }
        for (int i = 0, n = topics.size(); i < n; i++) {
            if (!anyMatches(publish, topics.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code subscribe} is granted on at least one of {@code topics}. */
    public boolean canSubscribe(List<String> topics) {
        requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            return false;
        }
        if (subscribeEverything) {
            return true;
        }
        for (int i = 0, n = topics.size(); i < n; i++) {
            if (anyMatches(subscribe, topics.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code subscribe} is granted on {@code topic}. */
    public boolean canSubscribe(String topic) {
        requireNonNull(topic, "topic");
        return subscribeEverything || anyMatches(subscribe, topic);
    }

    /**
     * The payload for the subscription whose own matcher string ({@code match} or
     * {@code match_<type>} value) is {@code matcherValue}, as compact JSON object text: that of the
     * first {@code subscribe} detail one of whose matchers selects {@code matcherValue} treated as a
     * topic. Empty when no subscribe detail matches or when the first matching one carries no
     * payload: the first match wins even without a payload, as in the reference hub, so a later,
     * broader detail cannot attach its payload to a subscription an earlier detail claimed. A
     * pre-1.0 token's {@code mercure.payload} applies to every subscription, as with the pre-1.0
     * hubs (its grants carry no payload of their own).
     */
    public Optional<String> payloadFor(String matcherValue) {
        requireNonNull(matcherValue, "matcherValue");
        for (Grant grant : subscribeGrants) {
            if (grant.matches(matcherValue) && (grant.payloadJson() != null || defaultPayload == null)) {
                return Optional.ofNullable(grant.payloadJson());
            }
        }
        return Optional.ofNullable(defaultPayload);
    }

    /** Every grant, in token order. */
    List<Grant> grants() {
        return grants;
    }

    /** The pre-1.0 token-wide payload as compact JSON, or {@code null}. */
    String defaultPayload() {
        return defaultPayload;
    }

    /** Whether this grants nothing at all. */
    public boolean isEmpty() {
        return publish.length == 0 && subscribe.length == 0;
    }

    @Override
    public String toString() {
        return "Grants[publish=" + publish.length + " matchers" + (publishEverything ? " (*)" : "")
                + ", subscribe=" + subscribe.length + " matchers" + (subscribeEverything ? " (*)" : "") + "]";
    }

    private static boolean anyMatches(TopicMatcher[] matchers, String topic) {
        for (TopicMatcher matcher : matchers) {
            if (matcher.matches(topic)) {
                return true;
            }
        }
        return false;
    }
}
