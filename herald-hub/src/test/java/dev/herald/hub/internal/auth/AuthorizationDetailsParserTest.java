package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Mint.DETAIL_TYPE;
import static dev.herald.hub.internal.auth.Mint.detail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mercure §"Authorization Details" and §"Topic Matcher List": each defect rejects the whole token,
 * even after a valid detail (no partial acceptance); what is tolerated is tolerated.
 */
class AuthorizationDetailsParserTest {

    static final int MAX_DETAILS = 3;
    static final int MAX_TOPICS = 2;
    static final int MAX_PATTERN = 40;
    static final AuthorizationDetailsParser PARSER = new AuthorizationDetailsParser(FakeMatchers.INSTANCE,
            TokenVerifier.MAPPER, MAX_DETAILS, MAX_TOPICS, MAX_PATTERN);

    static final String GOOD = detail("[\"subscribe\"]", "[{\"match\":\"https://example.com/a\"}]");
    static final String TOPIC = "https://example.com/a";

    static Grants parse(String json) throws InvalidTokenException {
        return PARSER.parse(json == null ? null : Mint.parse(json));
    }

    static Stream<Arguments> defects() {
        String d = "{\"type\":\"" + DETAIL_TYPE + "\",";
        return Stream.of(
                arguments("claim is an object", "{}", "not an array"),
                arguments("claim is a string", "\"x\"", "not an array"),
                arguments("claim is null", "null", "not an array"),
                arguments("entry is a string", "[" + GOOD + ",\"x\"]", "authorization_details[1] is not an object"),
                arguments("entry without type", "[" + GOOD + ",{\"actions\":[\"subscribe\"]}]", "type is missing"),
                arguments("entry with a non-string type", "[" + GOOD + ",{\"type\":1}]", "type is missing or not a string"),
                arguments("actions missing", "[" + GOOD + "," + d + "\"topics\":[{\"match\":\"*\"}]}]",
                        "[1].actions is not a non-empty array"),
                arguments("actions empty", "[" + GOOD + "," + detail("[]", "[{\"match\":\"*\"}]") + "]",
                        "[1].actions is not a non-empty array"),
                arguments("actions a string", "[" + GOOD + "," + detail("\"publish\"", "[{\"match\":\"*\"}]") + "]",
                        "[1].actions is not a non-empty array"),
                arguments("actions with a non-string entry",
                        "[" + GOOD + "," + detail("[\"publish\",1]", "[{\"match\":\"*\"}]") + "]",
                        "[1].actions has a non-string entry"),
                arguments("actions with a null entry",
                        "[" + GOOD + "," + detail("[null]", "[{\"match\":\"*\"}]") + "]", "non-string entry"),
                arguments("topics missing", "[" + GOOD + "," + d + "\"actions\":[\"publish\"]}]",
                        "[1].topics is not a non-empty array"),
                arguments("topics empty", "[" + GOOD + "," + detail("[\"publish\"]", "[]") + "]",
                        "[1].topics is not a non-empty array"),
                arguments("topics an object", "[" + GOOD + "," + detail("[\"publish\"]", "{\"match\":\"*\"}") + "]",
                        "[1].topics is not a non-empty array"),
                arguments("topic a bare string (earlier drafts)",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[\"https://example.com/a\"]") + "]",
                        "[1].topics[0] is not an object"),
                arguments("topic without match", "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match_type\":\"exact\"}]") + "]",
                        "[1].topics[0].match is missing"),
                arguments("topic with an empty match", "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"\"}]") + "]",
                        "match is missing, empty or not a string"),
                arguments("topic with a non-string match",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":[\"*\"]}]") + "]", "not a string"),
                arguments("topic with a null match",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":null}]") + "]", "not a string"),
                arguments("match_type not a string",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"*\",\"match_type\":1}]") + "]",
                        "match_type is not a string"),
                arguments("match_type null",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"x\",\"match_type\":null}]") + "]",
                        "match_type is not a string"),
                arguments("unsupported match_type",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"x\",\"match_type\":\"regex\"}]") + "]",
                        "[1].topics[0] is not a valid \"regex\" matcher"),
                arguments("match_type differing in case",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"x\",\"match_type\":\"Exact\"}]") + "]",
                        "not a valid \"Exact\" matcher"),
                arguments("unsupported match_type on the wildcard",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"*\",\"match_type\":\"regex\"}]") + "]",
                        "not a valid \"regex\" matcher"),
                arguments("match invalid for its type",
                        "[" + GOOD + "," + detail("[\"publish\"]", "[{\"match\":\"a\\nb\"}]") + "]",
                        "not a valid \"exact\" matcher"),
                arguments("payload an array", "[" + GOOD + "," + d
                        + "\"actions\":[\"subscribe\"],\"topics\":[{\"match\":\"*\"}],\"payload\":[1]}]",
                        "[1].payload is not an object"),
                arguments("payload a string", "[" + GOOD + "," + d
                        + "\"actions\":[\"subscribe\"],\"topics\":[{\"match\":\"*\"}],\"payload\":\"x\"}]",
                        "payload is not an object"),
                arguments("payload null", "[" + GOOD + "," + d
                        + "\"actions\":[\"subscribe\"],\"topics\":[{\"match\":\"*\"}],\"payload\":null}]",
                        "payload is not an object"),
                arguments("more details than the limit", "[" + GOOD + "," + GOOD + "," + GOOD + "," + GOOD + "]",
                        "more than 3 Mercure authorization details"),
                arguments("more topics than the limit", "[" + GOOD + "," + detail("[\"publish\"]",
                        "[{\"match\":\"a\"},{\"match\":\"b\"},{\"match\":\"c\"}]") + "]",
                        "[1].topics has more than 2 entries"),
                arguments("pattern longer than the limit", "[" + GOOD + "," + detail("[\"publish\"]",
                        "[{\"match\":\"" + "x".repeat(MAX_PATTERN + 1) + "\"}]") + "]",
                        "[1].topics[0].match is longer than 40 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void rejectsWholeTokenOnDefect(String name, String claim, String reason) {
        assertThatThrownBy(() -> parse(claim))
                .isInstanceOf(InvalidTokenException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void absentClaimGrantsNothing() throws InvalidTokenException {
        Grants grants = parse(null);

        assertThat(grants.isEmpty()).isTrue();
        assertThat(grants.canSubscribe(List.of(TOPIC))).isFalse();
        assertThat(grants.canPublish(List.of(TOPIC))).isFalse();
    }

    @Test
    void detailsOfOtherTypesAreIgnoredWhateverTheirShape() throws InvalidTokenException {
        Grants grants = parse("[{\"type\":\"tenant\",\"topics\":\"acme\",\"actions\":{\"read\":true}},"
                + "{\"type\":\"https://mercure.rocks/authorization-detail/\",\"actions\":[\"publish\"],"
                + "\"topics\":[{\"match\":\"*\"}]}," + GOOD + "]");

        assertThat(grants.canSubscribe(List.of(TOPIC))).isTrue();
        assertThat(grants.canPublish(List.of(TOPIC))).as("the type is compared byte by byte").isFalse();
    }

    @Test
    void otherTypesDoNotCountTowardsTheDetailLimit() throws InvalidTokenException {
        String other = "{\"type\":\"tenant\"}";
        Grants grants = parse("[" + other + "," + other + "," + other + "," + other + "," + GOOD + "," + GOOD + ","
                + GOOD + "]");

        assertThat(grants.canSubscribe(List.of(TOPIC))).isTrue();
    }

    @Test
    void unknownActionsAreIgnored() throws InvalidTokenException {
        Grants grants = parse("[" + detail("[\"delete\",\"publish\",\"Subscribe\"]", "[{\"match\":\"" + TOPIC + "\"}]")
                + "]");

        assertThat(grants.canPublish(List.of(TOPIC))).isTrue();
        assertThat(grants.canSubscribe(List.of(TOPIC))).as("actions are case-sensitive").isFalse();
    }

    @Test
    void detailWithOnlyUnknownActionsIsValidButGrantsNothing() throws InvalidTokenException {
        Grants grants = parse("[" + detail("[\"frobnicate\"]", "[{\"match\":\"*\"}]") + "]");

        assertThat(grants.isEmpty()).isTrue();
    }

    @Test
    void matchTypeDefaultsToExact() throws InvalidTokenException {
        Grants grants = parse("[" + detail("[\"subscribe\"]", "[{\"match\":\"https://example.com/books/:id\"}]") + "]");

        assertThat(grants.canSubscribe("https://example.com/books/:id")).isTrue();
        assertThat(grants.canSubscribe("https://example.com/books/1")).isFalse();
    }

    @Test
    void urlPatternMatchTypeIsCompiledByTheFactory() throws InvalidTokenException {
        Grants grants = parse("[" + detail("[\"subscribe\"]",
                "[{\"match\":\"https://example.com/books/:id\",\"match_type\":\"urlpattern\"}]") + "]");

        assertThat(grants.canSubscribe("https://example.com/books/1")).isTrue();
        assertThat(grants.canSubscribe("https://example.com/authors/1")).isFalse();
    }

    @Test
    void wildcardMatchesEveryTopicWhateverTheMatchType() throws InvalidTokenException {
        for (String topic : List.of("{\"match\":\"*\"}", "{\"match\":\"*\",\"match_type\":\"exact\"}",
                "{\"match\":\"*\",\"match_type\":\"urlpattern\"}")) {
            Grants grants = parse("[" + detail("[\"publish\"]", "[" + topic + "]") + "]");

            assertThat(grants.canPublish(List.of("https://example.com/anything", "urn:x"))).as(topic).isTrue();
        }
    }

    @Test
    void limitsAreInclusive() throws InvalidTokenException {
        String topics = "[{\"match\":\"" + "x".repeat(MAX_PATTERN) + "\"},{\"match\":\"b\"}]";
        Grants grants = parse("[" + GOOD + "," + GOOD + "," + detail("[\"publish\"]", topics) + "]");

        assertThat(grants.canPublish(List.of("x".repeat(MAX_PATTERN), "b"))).isTrue();
    }

    @Test
    void unknownMembersAreIgnored() throws InvalidTokenException {
        Grants grants = parse("[{\"type\":\"" + DETAIL_TYPE + "\",\"actions\":[\"subscribe\"],\"locations\":[\"x\"],"
                + "\"topics\":[{\"match\":\"" + TOPIC + "\",\"comment\":\"ok\"}]}]");

        assertThat(grants.canSubscribe(TOPIC)).isTrue();
    }

    @Test
    void payloadIsKeptAsCompactJsonForSubscribeDetails() throws InvalidTokenException {
        Grants grants = parse("[{\"type\":\"" + DETAIL_TYPE + "\",\"actions\":[\"subscribe\"],"
                + "\"topics\":[{\"match\":\"" + TOPIC + "\"}],\"payload\": { \"user\" : \"u1\", \"n\": [1, 2] }}]");

        assertThat(grants.payloadFor(TOPIC)).hasValue("{\"user\":\"u1\",\"n\":[1,2]}");
    }
}
