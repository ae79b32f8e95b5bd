package dev.herald.hub.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.internal.form.FormData;
import dev.herald.hub.internal.form.FormException;
import dev.herald.hub.internal.form.FormParser;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionRequestParserTest {

    private static final TopicMatchers MATCHERS = TopicMatchers.of("https://hub.example.com/.well-known/mercure");
    private static final SubscriptionRequestParser PARSER = SubscriptionRequestParser.of(MATCHERS, 5);

    private static SubscriptionRequest parse(String query) throws Exception {
        return parse(PARSER, query);
    }

    private static SubscriptionRequest parse(SubscriptionRequestParser parser, String query) throws Exception {
        return parser.parse(FormParser.withDefaults().parse(query));
    }

    @Test
    void mapsEachParameterNameToItsMatcherTypeInRequestOrder() throws Exception {
        SubscriptionRequest request = parse("match=https%3A%2F%2Fexample.com%2Ffoo&match=bar"
                + "&match_urlpattern=https%3A%2F%2Fexample.com%2Fbar%2F%3Aid&match_exact=baz&other=1");

        assertThat(request.matchers()).extracting(TopicMatcher::type, TopicMatcher::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple("exact", "https://example.com/foo"),
                org.assertj.core.groups.Tuple.tuple("exact", "bar"),
                org.assertj.core.groups.Tuple.tuple("urlpattern", "https://example.com/bar/:id"),
                org.assertj.core.groups.Tuple.tuple("exact", "baz"));
        assertThat(request.matchers().get(2).matches("https://example.com/bar/1")).isTrue();
        assertThat(request.lastEventId()).isEmpty();
    }

    @Test
    void removesDuplicateTypeAndValuePairsKeepingTheFirst() throws Exception {
        SubscriptionRequest request = SubscriptionRequestParser.of(MATCHERS).parse(FormParser.withDefaults().parse(
                "match=a&match_exact=a&match_urlpattern=a&match=b&match=a&match=*&match_urlpattern=*&match_exact=*"));

        assertThat(request.matchers()).extracting(TopicMatcher::toString)
                .containsExactly("exact:a", "urlpattern:a", "exact:b", "exact:*", "urlpattern:*");
    }

    @Test
    void anEmptyValueIsAnExactMatcherForTheEmptyTopic() throws Exception {
        assertThat(parse("match").matchers()).extracting(TopicMatcher::value).containsExactly("");
    }

    /** Query string and the InvalidSubscriptionException message. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("match_foo=x",
                        "match_foo: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("Match=x",
                        "Match: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("MATCH_EXACT=x",
                        "MATCH_EXACT: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("matches=x",
                        "matches: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("match_=x",
                        "match_: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("match_Exact=x",
                        "match_Exact: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("match=a&match_foo=*",
                        "match_foo: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("match_%E2%80%AEx=1",
                        "match_\\u202ex: unsupported matcher type (supported: match, match_exact, match_urlpattern)"),
                Arguments.of("match_" + "x".repeat(60) + "=1",
                        "match_" + "x".repeat(34) + "...: unsupported matcher type (supported: match, match_exact, "
                                + "match_urlpattern)"),
                Arguments.of("match=1&match=2&match=3&match=4&match=5&match=6",
                        "too many matchers: 6 (expected: <= 5)"),
                Arguments.of("match=1&match=1&match=1&match=1&match=1&match=1",
                        "too many matchers: 6 (expected: <= 5)"),
                Arguments.of("", "no topic matcher (expected: at least one of match, match_exact, match_urlpattern)"),
                Arguments.of("last_event_id=x&topic=y",
                        "no topic matcher (expected: at least one of match, match_exact, match_urlpattern); the pre-1.0"
                                + " topic parameter is accepted only by a hub in 0.x compatibility mode (--compat=0.x):"
                                + " use match=TOPIC or match_urlpattern=PATTERN"),
                Arguments.of("match=a%0Ab", "match: control character U+000A at index 1"),
                Arguments.of("match_exact=%E2%80%8B", "match_exact: format character U+200B at index 0"),
                Arguments.of("match_urlpattern=%C2%85", "match_urlpattern: control character U+0085 at index 0"),
                Arguments.of("match_urlpattern=https%3A%2F%2Fexample.com%2F%3Aid%2F%3Aid",
                        "match_urlpattern: invalid URL pattern: pathname: duplicate group name"),
                Arguments.of("match=" + "x".repeat(2049),
                        "match: too long: 2049 characters (expected: <= 2048)"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalid")
    void refusesInvalidRequestsWithAClientSafeReason(String query, String message) {
        assertThatThrownBy(() -> parse(query))
                .isInstanceOf(InvalidSubscriptionException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"matc", "topic", "xmatch", "lastEventID", "_match", "m"})
    void namesOutsideTheMatchNamespaceAreIgnored(String name) throws Exception {
        assertThat(SubscriptionRequestParser.isReservedName(name)).isFalse();
        assertThat(parse(name + "=1&match=a").matchers()).hasSize(1);
    }

    @Test
    void takesTheUnionOfQueryAndBodyAndPrefersTheQueryLastEventId() throws Exception {
        FormData query = FormData.of("match", "q1", "last_event_id", "from-query");
        FormData body = FormData.of("match_urlpattern", "/b/:id", "match", "q1", "last_event_id", "from-body");

        SubscriptionRequest request = PARSER.parse(query, body);

        assertThat(request.matchers()).extracting(TopicMatcher::toString).containsExactly("exact:q1", "urlpattern:/b/:id");
        assertThat(request.lastEventId()).contains("from-query");
        assertThat(PARSER.parse(FormData.of("match", "x"), FormData.of("last_event_id", "from-body")).lastEventId())
                .contains("from-body");
        assertThat(PARSER.parse(FormData.empty(), FormData.of("match", "x")).matchers()).hasSize(1);
    }

    @Test
    void lastEventIdIsSingleValuedAndMayBeEmpty() throws Exception {
        assertThat(parse("match=x&last_event_id=a&last_event_id=b").lastEventId()).contains("a");
        assertThat(parse("match=x&last_event_id").lastEventId()).contains("");
        assertThat(parse("match=x&last_event_id=earliest").lastEventId()).contains("earliest");
    }

    @Test
    void theMatcherLimitCountsParametersAcrossQueryAndBody() {
        FormData query = FormData.of("match", "1", "match", "2", "match", "3");
        FormData body = FormData.of("match", "4", "match", "5", "match", "6");

        assertThatThrownBy(() -> PARSER.parse(query, body))
                .isInstanceOf(InvalidSubscriptionException.class)
                .hasMessage("too many matchers: 6 (expected: <= 5)");
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> SubscriptionRequestParser.of(MATCHERS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMatchers: 0 (expected: > 0)");
        assertThat(SubscriptionRequestParser.DEFAULT_MAX_MATCHERS).isEqualTo(100);
    }

    private static final SubscriptionRequestParser COMPAT = SubscriptionRequestParser.of(MATCHERS, 5, true);

    private static SubscriptionRequest parseCompat(String query) throws Exception {
        return parse(COMPAT, query);
    }

    @Test
    void inCompatibilityModeTopicParametersAreTopicSelectorsBesideTheMatchParameters() throws Exception {
        SubscriptionRequest request = parseCompat("topic=https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D&match=a"
                + "&topic=plain&topic=*&topic=a");

        assertThat(request.matchers()).extracting(TopicMatcher::toString).containsExactly(
                "topic:https://example.com/books/{id}", "exact:a", "topic:plain", "_topic_selector:*", "topic:a");
        TopicMatcher template = request.matchers().get(0);
        assertThat(template.type()).isEqualTo(TopicSelectorMatcher.TYPE);
        assertThat(template.matches("https://example.com/books/1")).isTrue();
        assertThat(template.matches("https://example.com/books/1/reviews")).isFalse();
        assertThat(request.matchers().get(2).exactTopic()).isEqualTo("plain");
        assertThat(request.matchers().get(3).isWildcard()).isTrue();
    }

    @Test
    void inCompatibilityModeTopicSelectorsCountTowardsTheLimitAndAreCheckedLikeMatchers() {
        assertThatThrownBy(() -> parseCompat("topic=1&topic=2&topic=3&match=4&topic=5&topic=6"))
                .isInstanceOf(InvalidSubscriptionException.class)
                .hasMessage("too many matchers: 6 (expected: <= 5)");
        assertThatThrownBy(() -> parseCompat("topic=a%0Ab"))
                .isInstanceOf(InvalidSubscriptionException.class)
                .hasMessage("topic: control character U+000A at index 1");
        assertThatThrownBy(() -> parseCompat("lastEventID=x"))
                .isInstanceOf(InvalidSubscriptionException.class)
                .hasMessage("no topic matcher (expected: at least one of match, match_exact, match_urlpattern, topic)");
    }

    @Test
    void inCompatibilityModeLastEventIDIsReadOnlyWithoutLastEventId() throws Exception {
        assertThat(parseCompat("topic=x&lastEventID=old").lastEventId()).contains("old");
        assertThat(parseCompat("topic=x&lastEventID=old&last_event_id=new").lastEventId()).contains("new");
        assertThat(COMPAT.parse(FormData.of("topic", "x"), FormData.of("lastEventID", "from-body")).lastEventId())
                .contains("from-body");
        assertThat(parse("match=x&lastEventID=old").lastEventId()).isEmpty();
    }

    @Test
    void aFormExceptionIsNotASubscriptionException() {
        // invalid UTF-8 is the form layer's to report, before matchers are parsed
        assertThatThrownBy(() -> parse("match=%FF")).isInstanceOf(FormException.class);
    }
}
