package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The topic matchers and reconnection cursor of a subscription request, as parsed by
 * {@link SubscriptionRequestParser}: matchers in request order, duplicates (same type and value)
 * removed; {@code last_event_id} from the query if present there, else from the body (in pre-1.0
 * compatibility mode, else {@code lastEventID} likewise). The
 * {@code Last-Event-ID} header, which takes precedence over both (§"Reconciliation"), is the
 * caller's to apply.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SubscriptionRequest {

    private final List<TopicMatcher> matchers;
    private final String lastEventId;

    private SubscriptionRequest(List<TopicMatcher> matchers, String lastEventId) {
        this.matchers = matchers;
        this.lastEventId = lastEventId;
    }

    /** A request with {@code matchers} and an optional {@code lastEventId} (null for none). */
    public static SubscriptionRequest of(List<TopicMatcher> matchers, String lastEventId) {
        return new SubscriptionRequest(List.copyOf(requireNonNull(matchers, "matchers")), lastEventId);
    }

    /** The distinct matchers, in the order of their first parameter; never empty when parsed. */
    public List<TopicMatcher> matchers() {
        return matchers;
    }

    /** The {@code last_event_id} parameter (possibly empty), or empty when absent. */
    public Optional<String> lastEventId() {
        return Optional.ofNullable(lastEventId);
    }

    @Override
    public String toString() {
        return "SubscriptionRequest" + matchers + (lastEventId == null ? "" : " last_event_id=" + lastEventId);
    }
}
