package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

/**
 * The {@code exact} matcher (Mercure §"Exact Matching"): a case-sensitive comparison of the topic
 * with {@link #value()}, code unit for code unit, which for valid UTF-8 strings is the byte-for-byte
 * comparison the specification requires. No resolution against a base URL, no Unicode or IRI
 * normalization. {@link #value()} is the topic itself, so a dispatcher can index exact matchers in a
 * hash map instead of calling {@link #matches} on each.
 *
 * <p>Instances are immutable and thread-safe; equal when their values are equal.
 */
public final class ExactMatcher implements TopicMatcher {

    /** The matcher type name. */
    public static final String TYPE = "exact";

    private final String value;

    private ExactMatcher(String value) {
        this.value = value;
    }

    /** The exact matcher for {@code value}; callers validate the value first (see {@link TopicMatchers}). */
    public static ExactMatcher of(String value) {
        return new ExactMatcher(requireNonNull(value, "value"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String value() {
        return value;
    }

    @Override
    public boolean matches(String topic) {
        return value.equals(topic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactMatcher && ((ExactMatcher) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "exact:" + value;
    }
}
