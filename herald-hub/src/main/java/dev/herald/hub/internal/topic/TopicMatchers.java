package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.uritemplate.UriTemplate;
import dev.herald.hub.internal.topic.uritemplate.UriTemplateException;
import dev.herald.hub.internal.topic.url.WhatwgUrl;
import dev.herald.hub.internal.topic.urlpattern.UrlPattern;
import dev.herald.hub.internal.topic.urlpattern.UrlPatternException;
import java.util.List;
import java.util.Optional;

/**
 * The hub's {@link TopicMatcherFactory}: validates matcher values, builds {@code exact},
 * {@code urlpattern} and wildcard matchers, and caches compiled URL patterns.
 *
 * <p>Checks, in order (Mercure §"Subscription", §"Matcher Types", §"Resource Limits"): the type is
 * {@code exact} or {@code urlpattern} (case-sensitive); the value is at most
 * {@code maxValueLength} UTF-16 code units; it has no control or format character
 * ({@link TopicText}); the value {@code *} is the wildcard whatever the type; a {@code urlpattern}
 * value must compile (relative patterns resolve against the hub's URL).
 *
 * <p>It also builds pre-1.0 topic selectors ({@link #topicSelector}), with the same value checks,
 * caching compiled URI Templates in a second LRU map of the same size.
 *
 * <p>Thread-safe: the caches are bounded, synchronized LRU maps.
 */
public final class TopicMatchers implements TopicMatcherFactory {

    /** Default bound on a matcher value's length, in UTF-16 code units. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 2048;
    /** Default number of compiled URL patterns kept (about 3.5 KB each for a typical pattern). */
    public static final int DEFAULT_CACHE_SIZE = 4_096;
    /** The matcher types this factory supports, in the order error messages list them. */
    public static final List<String> SUPPORTED_TYPES = List.of(ExactMatcher.TYPE, UrlPatternMatcher.TYPE);

    private final TopicResolver resolver;
    private final int maxValueLength;
    private final LruCache<String, UrlPatternMatcher> cache;
    private final LruCache<String, TopicSelectorMatcher> templates;

    private TopicMatchers(WhatwgUrl hubUrl, int maxValueLength, int cacheSize) {
        this.resolver = new TopicResolver(hubUrl);
        this.maxValueLength = maxValueLength;
        this.cache = new LruCache<>(cacheSize);
        this.templates = new LruCache<>(cacheSize);
    }

    /** A factory for the hub at {@code hubUrl} with the default limits. */
    public static TopicMatchers of(String hubUrl) {
        return of(hubUrl, DEFAULT_MAX_VALUE_LENGTH, DEFAULT_CACHE_SIZE);
    }

    /**
     * A factory for the hub at {@code hubUrl} (absolute, e.g.
     * {@code https://example.com/.well-known/mercure}), refusing values longer than
     * {@code maxValueLength} and caching up to {@code cacheSize} compiled URL patterns.
     *
     * @throws IllegalArgumentException if {@code hubUrl} is not an absolute URL or a limit is not positive
     */
    public static TopicMatchers of(String hubUrl, int maxValueLength, int cacheSize) {
        requireNonNull(hubUrl, "hubUrl");
        if (maxValueLength <= 0) {
            throw new IllegalArgumentException("maxValueLength: " + maxValueLength + " (expected: > 0)");
        }
        if (cacheSize <= 0) {
            throw new IllegalArgumentException("cacheSize: " + cacheSize + " (expected: > 0)");
        }
        WhatwgUrl url = WhatwgUrl.parse(hubUrl)
                .orElseThrow(() -> new IllegalArgumentException("hubUrl: " + hubUrl + " (expected: an absolute URL)"));
        return new TopicMatchers(url, maxValueLength, cacheSize);
    }

    @Override
    public TopicMatcher create(String type, String value) throws InvalidMatcherException {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new InvalidMatcherException("unsupported matcher type: " + Excerpt.of(type) + " (supported: "
                    + String.join(", ", SUPPORTED_TYPES) + ")");
        }
        checkValue(value);
        if (value.equals(WildcardMatcher.VALUE)) {
            return WildcardMatcher.of(type);
        }
        if (type.equals(ExactMatcher.TYPE)) {
            return ExactMatcher.of(value);
        }
        UrlPatternMatcher cached = cache.get(value);
        if (cached != null) {
            return cached;
        }
        UrlPatternMatcher matcher;
        try {
            matcher = new UrlPatternMatcher(value, UrlPattern.compile(value, resolver.base()), resolver);
        } catch (UrlPatternException e) {
            throw new InvalidMatcherException("invalid URL pattern: " + e.getMessage());
        }
        cache.put(value, matcher);
        return matcher;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The value passes the same length and character checks as other matcher values. A value
     * with a {@code {} that parses as a URI Template is compiled (and cached); one that does not
     * parse is a plain string, as pre-1.0 hubs treated it; one over the template bounds is refused.
     */
    @Override
    public TopicMatcher topicSelector(String value) throws InvalidMatcherException {
        requireNonNull(value, "value");
        checkValue(value);
        if (value.equals(WildcardMatcher.VALUE)) {
            return WildcardMatcher.of(TopicSelectorMatcher.TYPE);
        }
        if (value.indexOf('{') < 0) {
            return new TopicSelectorMatcher(value, null);
        }
        TopicSelectorMatcher cached = templates.get(value);
        if (cached != null) {
            return cached;
        }
        UriTemplate template;
        try {
            template = UriTemplate.compile(value);
        } catch (UriTemplateException e) {
            if (e.limitExceeded()) {
                throw new InvalidMatcherException(e.getMessage());
            }
            return new TopicSelectorMatcher(value, null); // not a template: a plain string (not cached: cheap)
        }
        TopicSelectorMatcher matcher = new TopicSelectorMatcher(value, template);
        templates.put(value, matcher);
        return matcher;
    }

    /** Mercure §"Subscription" value rules and the length bound, shared by every matcher kind. */
    private void checkValue(String value) throws InvalidMatcherException {
        if (value.length() > maxValueLength) {
            throw new InvalidMatcherException("too long: " + value.length() + " characters (expected: <= "
                    + maxValueLength + ")");
        }
        Optional<String> violation = TopicText.violation(value);
        if (violation.isPresent()) {
            throw new InvalidMatcherException(violation.get());
        }
    }

    /** The hub's URL, the base of relative patterns and topics. */
    public WhatwgUrl hubUrl() {
        return resolver.base();
    }

    /**
     * {@code topic} resolved against the hub's URL, for {@link UrlPatternMatcher#matches(WhatwgUrl)};
     * empty when it is not a URL reference (such a topic matches no URL pattern).
     */
    public Optional<WhatwgUrl> resolveTopic(String topic) {
        return resolver.resolve(requireNonNull(topic, "topic"));
    }

    /** How many compiled patterns the cache holds. */
    int cachedPatterns() {
        return cache.size();
    }
}
