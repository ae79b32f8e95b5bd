package dev.herald.hub.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.internal.topic.url.WhatwgUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicMatchersTest {

    private static final String HUB = "https://hub.example.com/.well-known/mercure";

    private final TopicMatchers matchers = TopicMatchers.of(HUB);

    @Test
    void exactMatchingIsByteForByteWithoutNormalizationOrResolution() throws InvalidMatcherException {
        TopicMatcher matcher = matchers.create("exact", "https://example.com/books/1");

        assertThat(matcher).isInstanceOf(ExactMatcher.class);
        assertThat(matcher.type()).isEqualTo("exact");
        assertThat(matcher.value()).isEqualTo("https://example.com/books/1");
        assertThat(matcher.isWildcard()).isFalse();
        assertThat(matcher.matches("https://example.com/books/1")).isTrue();
        assertThat(matcher.matches("https://EXAMPLE.com/books/1")).isFalse();
        assertThat(matcher.matches("https://example.com:443/books/1")).isFalse();
        assertThat(matcher.matches("https://example.com/books/./1")).isFalse();
        assertThat(matchers.create("exact", "/books/1").matches("https://hub.example.com/books/1")).isFalse();
        // NFC "é" and NFD "e" + U+0301 look the same but are different bytes
        assertThat(matchers.create("exact", "caf\u00e9").matches("cafe\u0301")).isFalse();
    }

    @Test
    void exactMatchersAreEqualByValueSoTheyCanBeIndexed() throws InvalidMatcherException {
        ExactMatcher a = (ExactMatcher) matchers.create("exact", "topic");

        assertThat(a).isEqualTo(ExactMatcher.of("topic")).hasSameHashCodeAs(ExactMatcher.of("topic"));
        assertThat(a).isNotEqualTo(ExactMatcher.of("Topic"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "urlpattern"})
    void theStarValueIsTheWildcardWhateverTheType(String type) throws InvalidMatcherException {
        TopicMatcher matcher = matchers.create(type, "*");

        assertThat(matcher.isWildcard()).isTrue();
        assertThat(matcher.type()).isEqualTo(type);
        assertThat(matcher.value()).isEqualTo("*");
        assertThat(matcher.matches("anything")).isTrue();
        assertThat(matcher.matches("not a URL at all")).isTrue();
        assertThat(matcher.matches("")).isTrue();
    }

    @Test
    void urlPatternMatchersResolveRelativePatternsAndTopicsAgainstTheHubUrl() throws InvalidMatcherException {
        TopicMatcher matcher = matchers.create("urlpattern", "/.well-known/mercure/subscriptions/:type/:topic/:sub");

        assertThat(matcher).isInstanceOf(UrlPatternMatcher.class);
        assertThat(matcher.type()).isEqualTo("urlpattern");
        assertThat(matcher.matches("/.well-known/mercure/subscriptions/exact/a/b")).isTrue();
        assertThat(matcher.matches("https://hub.example.com/.well-known/mercure/subscriptions/exact/a/b")).isTrue();
        assertThat(matcher.matches("https://other.example/.well-known/mercure/subscriptions/exact/a/b")).isFalse();
    }

    @Test
    void aTopicThatIsNotAUrlReferenceNeverMatchesAUrlPattern() throws InvalidMatcherException {
        TopicMatcher matcher = matchers.create("urlpattern", "*://*/*");

        assertThat(matcher.matches("https://exa mple.com/")).isFalse();
        assertThat(matcher.matches("http://[::1/")).isFalse();
        assertThat(matcher.matches("https://example.com/")).isTrue();
    }

    @Test
    void matchesAnAlreadyResolvedTopicTheSameWay() throws InvalidMatcherException {
        UrlPatternMatcher matcher = (UrlPatternMatcher) matchers.create("urlpattern", "https://example.com/books/:id");
        WhatwgUrl topic = matchers.resolveTopic("https://EXAMPLE.com/books/1").orElseThrow();

        assertThat(matcher.matches(topic)).isTrue();
        assertThat(matchers.resolveTopic("https://[::1")).isEmpty();
        // the one-entry cache must never answer for a different topic
        assertThat(matcher.matches("https://example.com/books/1")).isTrue();
        assertThat(matcher.matches("https://example.com/books/1/x")).isFalse();
        assertThat(matcher.matches("https://example.com/books/1")).isTrue();
    }

    /** Type, value, and the InvalidMatcherException message. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("foo", "x", "unsupported matcher type: foo (supported: exact, urlpattern)"),
                Arguments.of("Exact", "x", "unsupported matcher type: Exact (supported: exact, urlpattern)"),
                Arguments.of("", "*", "unsupported matcher type:  (supported: exact, urlpattern)"),
                Arguments.of("a\u202Eb", "x", "unsupported matcher type: a\\u202eb (supported: exact, urlpattern)"),
                Arguments.of("exact", "a\nb", "control character U+000A at index 1"),
                Arguments.of("exact", "\u0000", "control character U+0000 at index 0"),
                Arguments.of("exact", "a\u007F", "control character U+007F at index 1"),
                Arguments.of("exact", "a\u0085b", "control character U+0085 at index 1"),
                Arguments.of("exact", "https://example.com/\u202Egpj.exe", "format character U+202E at index 20"),
                Arguments.of("urlpattern", "https://ex\u200Bample.com/*", "format character U+200B at index 10"),
                Arguments.of("urlpattern", "\uFEFF/x", "format character U+FEFF at index 0"),
                Arguments.of("exact", "\uD83D\uDE00\u00AD", "format character U+00AD at index 1"),
                Arguments.of("exact", "a\uD800", "unpaired surrogate at index 1"),
                Arguments.of("exact", "x".repeat(2049), "too long: 2049 characters (expected: <= 2048)"),
                Arguments.of("urlpattern", "https://example.com/:id/:id", "invalid URL pattern: pathname: duplicate group name"),
                Arguments.of("urlpattern", "https://example.com/((?=a))",
                        "invalid URL pattern: pathname: invalid regular expression: lookaround assertions are not supported"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("invalid")
    void refusesInvalidTypesAndValuesWithAClientSafeMessage(String type, String value, String message) {
        assertThatThrownBy(() -> matchers.create(type, value))
                .isInstanceOf(InvalidMatcherException.class)
                .hasMessage(message);
    }

    @Test
    void acceptsPrintableUnicodeIncludingAstralCharacters() throws InvalidMatcherException {
        assertThat(matchers.create("exact", "caf\u00e9 \uD83D\uDE00 \u05D0").matches("caf\u00e9 \uD83D\uDE00 \u05D0"))
                .isTrue();
        assertThat(matchers.create("exact", "x".repeat(2048)).value()).hasSize(2048);
    }

    @Test
    void reusesCompiledPatternsAndKeepsTheCacheBounded() throws InvalidMatcherException {
        TopicMatchers small = TopicMatchers.of(HUB, 100, 3);

        TopicMatcher first = small.create("urlpattern", "/a/:x");
        assertThat(small.create("urlpattern", "/a/:x")).isSameAs(first);
        for (int i = 0; i < 50; i++) {
            small.create("urlpattern", "/p" + i + "/:x");
            assertThat(small.cachedPatterns()).isLessThanOrEqualTo(3);
        }
        assertThat(small.cachedPatterns()).isEqualTo(3);
        TopicMatcher recompiled = small.create("urlpattern", "/a/:x");
        assertThat(recompiled).isNotSameAs(first).isEqualTo(first);
        // exact matchers and wildcards are never cached
        small.create("exact", "/e");
        small.create("urlpattern", "*");
        assertThat(small.cachedPatterns()).isEqualTo(3);
    }

    @Test
    void evictsTheLeastRecentlyUsedPattern() throws InvalidMatcherException {
        TopicMatchers small = TopicMatchers.of(HUB, 100, 2);
        TopicMatcher a = small.create("urlpattern", "/a");
        small.create("urlpattern", "/b");
        assertThat(small.create("urlpattern", "/a")).isSameAs(a);
        small.create("urlpattern", "/c");

        assertThat(small.create("urlpattern", "/a")).isSameAs(a);
    }

    @Test
    void compilesConcurrentlyWithoutExceedingTheBound() throws Exception {
        TopicMatchers shared = TopicMatchers.of(HUB, 100, 16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        TopicMatcher m = shared.create("urlpattern", "/t" + ((i * 7 + thread) % 40) + "/:id");
                        if (!m.matches("/t" + ((i * 7 + thread) % 40) + "/1") || m.matches("/x/1")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(shared.cachedPatterns()).isLessThanOrEqualTo(16);
    }

    @Test
    void refusesBadConfiguration() {
        assertThatThrownBy(() -> TopicMatchers.of("/relative")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hubUrl: /relative (expected: an absolute URL)");
        assertThatThrownBy(() -> TopicMatchers.of(HUB, 0, 1)).hasMessage("maxValueLength: 0 (expected: > 0)");
        assertThatThrownBy(() -> TopicMatchers.of(HUB, 1, 0)).hasMessage("cacheSize: 0 (expected: > 0)");
        assertThat(TopicMatchers.of(HUB).hubUrl().href()).isEqualTo(HUB);
    }

    @Test
    void aTopicSelectorIsATemplateAPlainStringOrTheWildcard() throws InvalidMatcherException {
        TopicMatcher template = matchers.topicSelector("https://example.com/books/{id}");
        assertThat(template).isInstanceOf(TopicSelectorMatcher.class);
        assertThat(((TopicSelectorMatcher) template).isTemplate()).isTrue();
        assertThat(template.type()).isEqualTo("_topic_selector");
        assertThat(template.exactTopic()).isNull();
        assertThat(template.matches("https://example.com/books/1")).isTrue();
        assertThat(template.matches("https://example.com/books/{id}")).isTrue(); // the selector itself, as pre-1.0
        assertThat(template.matches("/books/1")).isFalse(); // no resolution against the hub's URL

        TopicMatcher plain = matchers.topicSelector("https://example.com/books/1");
        assertThat(((TopicSelectorMatcher) plain).isTemplate()).isFalse();
        assertThat(plain.exactTopic()).isEqualTo("https://example.com/books/1");
        assertThat(plain.matches("https://example.com/books/1")).isTrue();
        assertThat(plain.matches("https://example.com/books/2")).isFalse();

        // a "{" that does not start a template leaves a plain string, as pre-1.0 hubs had it
        TopicMatcher notATemplate = matchers.topicSelector("urn:x:{not a template");
        assertThat(notATemplate.exactTopic()).isEqualTo("urn:x:{not a template");
        assertThat(notATemplate.matches("urn:x:{not a template")).isTrue();

        TopicMatcher wildcard = matchers.topicSelector("*");
        assertThat(wildcard.isWildcard()).isTrue();
        assertThat(wildcard.type()).isEqualTo("_topic_selector");
        assertThat(wildcard.exactTopic()).isNull();
    }

    @Test
    void topicSelectorsPassTheValueChecksAndTheTemplateBounds() {
        assertThatThrownBy(() -> matchers.topicSelector("a\u0000b")).isInstanceOf(InvalidMatcherException.class)
                .hasMessage("control character U+0000 at index 1");
        assertThatThrownBy(() -> TopicMatchers.of(HUB, 4, 4).topicSelector("abcde"))
                .hasMessage("too long: 5 characters (expected: <= 4)");
        assertThatThrownBy(() -> matchers.topicSelector("{a}".repeat(9)))
                .isInstanceOf(InvalidMatcherException.class)
                .hasMessage("URI template too complex: more than 8 expressions");
        // the 1.0 types cannot be spelled as a topic selector type, nor the other way round
        assertThatThrownBy(() -> matchers.create("_topic_selector", "x")).isInstanceOf(InvalidMatcherException.class);
    }

    @Test
    void compiledTemplatesAreCachedAndEqualByValue() throws InvalidMatcherException {
        TopicMatcher a = matchers.topicSelector("/books/{id}");
        assertThat(matchers.topicSelector("/books/{id}")).isSameAs(a);
        assertThat(matchers.topicSelector("plain")).isEqualTo(matchers.topicSelector("plain"))
                .isNotEqualTo(ExactMatcher.of("plain"));
        assertThat(ExactMatcher.of("plain").exactTopic()).isEqualTo("plain");
        assertThat(matchers.create("urlpattern", "/books/:id").exactTopic()).isNull();
    }

    @Test
    void aFactoryWithoutTopicSelectorsRefusesThem() {
        TopicMatcherFactory plain = (type, value) -> ExactMatcher.of(value);
        assertThatThrownBy(() -> plain.topicSelector("x")).isInstanceOf(InvalidMatcherException.class)
                .hasMessage("pre-1.0 topic selectors are not supported");
    }
}
