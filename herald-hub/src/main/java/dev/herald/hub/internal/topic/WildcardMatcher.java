package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

/**
 * The reserved {@code *} matcher (Mercure §"Matcher Types"): selects every topic whatever its type.
 * The value {@code *} is recognised before the matcher type is interpreted, so {@code match=*} and
 * {@code match_urlpattern=*} are both wildcards; {@link #type()} keeps the type the client asked for,
 * because subscription events and their topics name it.
 *
 * <p>Instances are immutable and thread-safe; equal when their types are equal.
 */
public final class WildcardMatcher implements TopicMatcher {

    /** The reserved wildcard value. */
    public static final String VALUE = "*";

    private final String type;

    private WildcardMatcher(String type) {
        this.type = type;
    }

    /** The wildcard requested with matcher type {@code type} ({@code exact} or {@code urlpattern}). */
    public static WildcardMatcher of(String type) {
        return new WildcardMatcher(requireNonNull(type, "type"));
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String value() {
        return VALUE;
    }

    @Override
    public boolean matches(String topic) {
        return true;
    }

    @Override
    public boolean isWildcard() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WildcardMatcher && ((WildcardMatcher) o).type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + 1;
    }

    @Override
    public String toString() {
        return type + ":*";
    }
}
