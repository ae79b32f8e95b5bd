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
}
