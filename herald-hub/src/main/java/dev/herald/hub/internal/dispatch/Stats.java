package dev.herald.hub.internal.dispatch;

import dev.herald.hub.internal.auth.AuthFailureReason;
import dev.herald.hub.internal.auth.Role;
import dev.herald.hub.internal.topic.TopicMatcher;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the dispatch path updates; read by metrics and tests. Thread-safe (striped adders, cheap
 * to bump from every event loop; the distinct matchers in concurrent maps, touched only when a stream
 * opens or closes).
 */
public final class Stats {
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder subscribed = new LongAdder();
    private final LongAdder unsubscribed = new LongAdder();
    private final LongAdder slowDisconnected = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder conflated = new LongAdder();
    private final LatencyHistogram publishToWrite = new LatencyHistogram();
    private final LongAdder[] matchers = adders(MatcherKind.values().length);
    private final LongAdder[] authFailures = adders(Role.values().length * AuthFailureReason.values().length);
    /**
     * The open streams' matchers, each with the number of streams holding it: exact topics by topic,
     * the others (URL patterns, the wildcard) by type and value, across every event loop, so the
     * overview can tell how many topics are followed, not only how many matchers.
     */
    private final ConcurrentHashMap<String, Integer> exactTopics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> patterns = new ConcurrentHashMap<>();

    /**
     * The kinds of topic matchers open subscriptions are counted by: the protocol's two types, the
     * wildcard ({@code *}, whatever parameter carried it) and any other registered type. Immutable (an enum).
     */
    public enum MatcherKind {
        EXACT, URLPATTERN, WILDCARD, OTHER;

        static MatcherKind of(TopicMatcher m) {
            if (m.isWildcard()) {
                return WILDCARD;
            }
            return switch (m.type()) {
                case "exact" -> EXACT;
                case "urlpattern" -> URLPATTERN;
                default -> OTHER;
            };
        }

        /** The label value, the name in lower case. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** An update's frame was handed to the last of its subscribers on one event loop, {@code nanos} after it was accepted. */
    void publishToWrite(long nanos) {
        publishToWrite.record(nanos);
    }

    /** A stream opened ({@code +1}) or closed ({@code -1}) with {@code m} among its matchers. */
    void matcher(TopicMatcher m, int delta) {
        matchers[MatcherKind.of(m).ordinal()].add(delta);
        String topic = m.exactTopic();
        if (topic != null) {
            holders(exactTopics, topic, delta);
        } else {
            holders(patterns, m.type() + ' ' + m.value(), delta);
        }
    }

    /** Adds {@code delta} holders to {@code key}, dropping it at none (atomic per key). */
    private static void holders(ConcurrentHashMap<String, Integer> map, String key, int delta) {
        map.merge(key, delta, (held, d) -> held + d == 0 ? null : held + d);
    }

    /** A request of {@code role} was refused authorization for {@code reason}. */
    public void authFailed(Role role, AuthFailureReason reason) {
        authFailures[role.ordinal() * AuthFailureReason.values().length + reason.ordinal()].increment();
    }

    void published() {
        published.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void subscribed() {
        subscribed.increment();
    }

    void unsubscribed() {
        unsubscribed.increment();
    }

    void slowDisconnected() {
        slowDisconnected.increment();
    }

    void replayed() {
        replayed.increment();
    }

    void reset() {
        resets.increment();
    }

    void conflated() {
        conflated.increment();
    }

    public long publishedCount() {
        return published.sum();
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    /** Streams open now. */
    public long activeSubscribers() {
        return subscribed.sum() - unsubscribed.sum();
    }

    public long slowDisconnectedCount() {
        return slowDisconnected.sum();
    }

    public long replayCount() {
        return replayed.sum();
    }

    public long resetCount() {
        return resets.sum();
    }

    /** Updates a conflating subscriber never got because a newer one with the same key replaced them. */
    public long conflatedCount() {
        return conflated.sum();
    }

    /**
     * Time from a publish's acceptance (before it is stored) to its frame being written to the
     * channels of its matching subscribers, one observation per update and event loop that had any.
     */
    public LatencyHistogram publishToWriteLatency() {
        return publishToWrite;
    }

    /** Matchers of {@code kind} in the streams open now (a stream with three matchers counts three). */
    public long matcherCount(MatcherKind kind) {
        return matchers[kind.ordinal()].sum();
    }

    /** Distinct topics the open streams select by exact matchers (a topic several streams follow counts once). */
    public long distinctTopicCount() {
        return exactTopics.size();
    }

    /** Distinct other matchers of the open streams (URL patterns and the like, the wildcard), each counted once. */
    public long distinctPatternCount() {
        return patterns.size();
    }

    /** Requests of {@code role} refused for {@code reason} since the hub started. */
    public long authFailureCount(Role role, AuthFailureReason reason) {
        return authFailures[role.ordinal() * AuthFailureReason.values().length + reason.ordinal()].sum();
    }
}
