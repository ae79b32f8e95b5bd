package dev.herald.hub.internal.topic;

/**
 * Compiles topic matchers from a matcher type name and value. Implementations validate the value
 * (Mercure §"Subscription" value rules and the matcher type's own syntax), may cache compiled
 * matchers, and are thread-safe.
 */
public interface TopicMatcherFactory {

    /**
     * The matcher for {@code type} ({@code exact} or {@code urlpattern}) and {@code value}. The
     * value {@code *} gives the wildcard whatever the type.
     *
     * @throws InvalidMatcherException if the type is unsupported or the value invalid for it
     */
    TopicMatcher create(String type, String value) throws InvalidMatcherException;

    /**
     * The matcher for a pre-1.0 Mercure topic selector (a {@code topic} subscription parameter, an
     * entry of a {@code mercure} token claim): {@code *}, a URI Template, or a plain string (see
     * {@link TopicSelectorMatcher}). Only called in pre-1.0 compatibility mode; a factory that does
     * not support it refuses every value.
     *
     * @throws InvalidMatcherException if unsupported, or the value is invalid (forbidden characters,
     *         too long, a template too complex to match within bounds)
     */
    default TopicMatcher topicSelector(String value) throws InvalidMatcherException {
        throw new InvalidMatcherException("pre-1.0 topic selectors are not supported");
    }
}
