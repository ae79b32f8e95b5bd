package dev.herald.hub.internal.topic;

/**
 * A compiled topic matcher (Mercure §"Matcher Types"): decides whether a topic is selected.
 *
 * <p>Used both for routing (a subscriber's {@code match*} query parameters) and for authorization
 * (the {@code topics} of a token's authorization details). Implementations are immutable and
 * thread-safe; {@link #matches(String)} never throws and runs in time linear in the topic length.
 */
public interface TopicMatcher {

    /**
     * The matcher type name: {@code exact} or {@code urlpattern}, or {@value TopicSelectorMatcher#TYPE}
     * for a pre-1.0 topic selector.
     */
    String type();

    /** The matcher expression as given (for a wildcard, {@code *}). */
    String value();

    /** Whether {@code topic} is selected. A topic a URL pattern cannot parse is not matched. */
    boolean matches(String topic);

    /** Whether this is the reserved {@code *} wildcard, which selects every topic. */
    default boolean isWildcard() {
        return false;
    }

    /**
     * The one topic this matcher selects when it selects exactly one, compared byte for byte, else
     * {@code null}: lets a dispatcher index such matchers in a hash map instead of calling
     * {@link #matches} on each. By default, an {@code exact} matcher's value.
     */
    default String exactTopic() {
        return ExactMatcher.TYPE.equals(type()) && !isWildcard() ? value() : null;
    }
}
