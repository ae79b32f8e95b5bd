package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.uritemplate.UriTemplate;

/**
 * A pre-1.0 Mercure topic selector (Mercure appendix "Changes from Pre-Standardization
 * Deployments"), as subscribers gave it in {@code topic} parameters and tokens in their
 * {@code mercure.publish} / {@code mercure.subscribe} claims: it selects a topic equal to it, byte
 * for byte, or — when it is a well-formed RFC 6570 URI Template — a topic the template could expand
 * to (see {@link dev.herald.hub.internal.topic.uritemplate}). A value that is not a template (no
 * {@code {}, or malformed) is a plain string, as the pre-1.0 hubs treated it; {@code *} is the
 * wildcard ({@link WildcardMatcher} of this type). Created by {@link TopicMatchers#topicSelector}.
 *
 * <p>The type name {@value #TYPE} starts with an underscore so it can never collide with a
 * registered matcher type (lowercase letters and digits, Mercure §"Mercure Topic Matcher Types
 * Registry") nor be requested with a {@code match_<type>} parameter; it tells subscription events
 * and logs that the subscription came from the pre-1.0 protocol.
 *
 * <p>Instances are immutable and thread-safe; equal when their values are equal.
 */
public final class TopicSelectorMatcher implements TopicMatcher {

    /** The type name of pre-1.0 topic selectors. */
    public static final String TYPE = "_topic_selector";

    private final String value;
    private final UriTemplate template;

    TopicSelectorMatcher(String value, UriTemplate template) {
        this.value = requireNonNull(value, "value");
        this.template = template;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String value() {
        return value;
    }

    /** Whether the selector is a URI Template (else it selects only the topic equal to it). */
    public boolean isTemplate() {
        return template != null;
    }

    @Override
    public boolean matches(String topic) {
        requireNonNull(topic, "topic");
        return value.equals(topic) || (template != null && template.matches(topic));
    }

    /** A plain-string selector selects one topic, so dispatch can index it like an {@code exact} matcher. */
    @Override
    public String exactTopic() {
        return template == null ? value : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSelectorMatcher && ((TopicSelectorMatcher) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode() * 31 + 3;
    }

    @Override
    public String toString() {
        return "topic:" + value;
    }
}
