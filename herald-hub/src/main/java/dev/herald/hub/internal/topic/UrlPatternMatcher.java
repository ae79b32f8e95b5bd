package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.url.WhatwgUrl;
import dev.herald.hub.internal.topic.urlpattern.UrlPattern;

/**
 * The {@code urlpattern} matcher (Mercure §"URL Pattern"): the topic, resolved against the hub's URL,
 * is matched with a WHATWG URL Pattern compiled to re2j regular expressions, so evaluation is linear
 * in the topic length. A topic that does not parse as a URL reference never matches. Created by
 * {@link TopicMatchers}, which validates, compiles and caches patterns.
 *
 * <p>Instances are immutable and thread-safe; equal when their pattern strings are equal (all
 * matchers of one {@link TopicMatchers} share its base URL).
 */
public final class UrlPatternMatcher implements TopicMatcher {

    /** The matcher type name. */
    public static final String TYPE = "urlpattern";

    private final String value;
    private final UrlPattern pattern;
    private final TopicResolver resolver;

    UrlPatternMatcher(String value, UrlPattern pattern, TopicResolver resolver) {
        this.value = value;
        this.pattern = pattern;
        this.resolver = resolver;
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
        requireNonNull(topic, "topic");
        return resolver.resolve(topic).map(pattern::matches).orElse(false);
    }

    /**
     * Whether the already resolved topic {@code url} matches. Lets a dispatcher parse a topic once
     * (with {@link TopicMatchers#resolveTopic}) and test it against many patterns; {@code url} must
     * have been resolved against the same hub URL as this matcher's patterns.
     */
    public boolean matches(WhatwgUrl url) {
        return pattern.matches(requireNonNull(url, "url"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UrlPatternMatcher && ((UrlPatternMatcher) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode() * 31 + 2;
    }

    @Override
    public String toString() {
        return "urlpattern:" + value;
    }
}
