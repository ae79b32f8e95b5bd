package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.TopicMatcher;
import java.util.List;

/**
 * One validated Mercure authorization detail, reduced to what the hub acts on: which recognized
 * actions it grants, on which topics, and (for {@code subscribe}) its payload as compact JSON text.
 * Independent of the claim it came from: {@link AuthorizationDetailsParser} builds grants from
 * {@code authorization_details}, {@link MercureClaimParser} from the pre-1.0 {@code mercure} claim.
 *
 * <p>Immutable and thread-safe.
 */
final class Grant {

    private final boolean publish;
    private final boolean subscribe;
    private final TopicMatcher[] topics;
    private final String payloadJson;

    Grant(boolean publish, boolean subscribe, List<TopicMatcher> topics, String payloadJson) {
        requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("topics: [] (expected: at least one)");
        }
        this.publish = publish;
        this.subscribe = subscribe;
        this.topics = topics.toArray(new TopicMatcher[0]);
        this.payloadJson = subscribe ? payloadJson : null;
    }

    boolean publish() {
        return publish;
    }

    boolean subscribe() {
        return subscribe;
    }

    TopicMatcher[] topics() {
        return topics;
    }

    /** The payload object as compact JSON, or {@code null}. */
    String payloadJson() {
        return payloadJson;
    }

    /** Whether one of this grant's matchers selects {@code topic}. */
    boolean matches(String topic) {
        for (TopicMatcher matcher : topics) {
            if (matcher.isWildcard() || matcher.matches(topic)) {
                return true;
            }
        }
        return false;
    }
}
