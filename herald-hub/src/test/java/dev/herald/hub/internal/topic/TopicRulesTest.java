package dev.herald.hub.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicRulesTest {

    private static final TopicRules RULES = TopicRules.of("https://hub.example.com/.well-known/mercure");

    @ParameterizedTest
    @ValueSource(strings = {
            "/.well-known/mercure",
            "/.well-known/mercure/",
            "/.well-known/mercure/subscriptions/exact/x/y",
            "https://hub.example.com/.well-known/mercure/subscriptions/exact/x/y",
            "https://other.example/.well-known/mercure/x",
            "http://hub.example.com:8080/.well-known/mercure",
            "wss://u:p@hub.example.com/.well-known/mercure/x",
            "foo://bar/.well-known/mercure/x",
            "urn:/.well-known/mercure",
            "/.well-known/%6Dercure/x",
            "/.well-known/%6dercure",
            "/%2Ewell-known/mercure/x",
            "/.well%2Dknown/mercur%65/x",
            "/.well-known/mercure/../mercure/x",
            "/.well-known/mercure/%2e%2e/mercure/x",
            "/a/../.well-known/./mercure/x",
            "/.well-known/x/../mercure",
            "\\.well-known\\mercure\\x",
            "//other.example/.well-known/mercure/x",
            "mercure/x",
            "./mercure",
            "mercure?topic=x",
            "?x",
            "#x",
            ""})
    void refusesTopicsAddressingTheReservedHubNamespace(String topic) {
        assertThat(RULES.addressesHubNamespace(topic)).isTrue();
        assertThatThrownBy(() -> RULES.checkTopic(topic))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("topic: addresses the reserved hub namespace /.well-known/mercure");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/.well-known/mercurex",
            "/.well-known/mercure-other/x",
            "/.well-known/MERCURE/x",
            "/.well-known/mercure%2Fx",
            "/.well-known/mercure/../x",
            "/.well-known",
            "/.well-known/",
            "https://example.com/books/1",
            "https://example.com/.well-known/mercure.json",
            "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
            "urn:.well-known/mercure",
            "mailto:/.well-known/mercure@x",
            "books/1",
            "https://[::1/.well-known/mercure",
            "https://exa mple.com/.well-known/mercure"})
    void acceptsTopicsOutsideTheReservedNamespaceIncludingUnparseableOnes(String topic) {
        assertThat(RULES.addressesHubNamespace(topic)).isFalse();
        assertThatCode(() -> RULES.checkTopic(topic)).doesNotThrowAnyException();
    }

    @Test
    void theReservedNamespaceFollowsTheConfiguredHubPath() {
        TopicRules custom = TopicRules.of("http://localhost:3000/hub/");

        assertThat(custom.hubPath()).isEqualTo("/hub");
        assertThat(custom.addressesHubNamespace("/hub")).isTrue();
        assertThat(custom.addressesHubNamespace("/hub/x")).isTrue();
        assertThat(custom.addressesHubNamespace("/hubx")).isFalse();
        assertThat(custom.addressesHubNamespace("/.well-known/mercure/x")).isFalse();
        assertThatThrownBy(() -> TopicRules.of("https://example.com/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicRules.of("urn:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicRules.of("/relative")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Field, value, and the InvalidFieldException message. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("topic", "*", "topic: \"*\" is reserved for the wildcard matcher"),
                Arguments.of("topic", "a\rb", "topic: control character U+000D at index 1"),
                Arguments.of("topic", "https://example.com/\u202Efdp.exe", "topic: format character U+202E at index 20"),
                Arguments.of("topic", "a\u200Bb", "topic: format character U+200B at index 1"),
                Arguments.of("topic", "a\u0085b", "topic: control character U+0085 at index 1"),
                Arguments.of("id", "#123", "id: must not start with '#' (reserved for hub-generated IDs)"),
                Arguments.of("id", "earliest", "id: \"earliest\" is reserved"),
                Arguments.of("id", "a\nid: forged", "id: control character U+000A at index 1"),
                Arguments.of("id", "x\u0000", "id: control character U+0000 at index 1"),
                Arguments.of("id", "\u2066x", "id: format character U+2066 at index 0"),
                Arguments.of("type", "mercure", "type: \"mercure\" is reserved for hub events"),
                Arguments.of("type", "a\nevent: forged", "type: control character U+000A at index 1"),
                Arguments.of("type", "\uFEFFmessage", "type: format character U+FEFF at index 0"),
                Arguments.of("retry", "", "retry: empty (expected: ASCII digits)"),
                Arguments.of("retry", "-1", "retry: not a decimal number (expected: ASCII digits only)"),
                Arguments.of("retry", "1.5", "retry: not a decimal number (expected: ASCII digits only)"),
                Arguments.of("retry", " 10", "retry: not a decimal number (expected: ASCII digits only)"),
                Arguments.of("retry", "\u0661\u0662", "retry: not a decimal number (expected: ASCII digits only)"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("invalid")
    void refusesInvalidPublishFields(String field, String value, String message) {
        assertThatThrownBy(() -> check(field, value))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessage(message);
    }

    private static void check(String field, String value) throws InvalidFieldException {
        switch (field) {
            case "topic":
                RULES.checkTopic(value);
                break;
            case "id":
                TopicRules.checkId(value);
                break;
            case "type":
                TopicRules.checkType(value);
                break;
            default:
                TopicRules.parseRetry(value);
        }
    }

    @Test
    void acceptsOrdinaryValues() throws InvalidFieldException {
        RULES.checkTopic("https://example.com/books/1");
        RULES.checkTopic("**");
        RULES.checkTopic("caf\u00e9");
        TopicRules.checkId("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66");
        TopicRules.checkId("a#b");
        TopicRules.checkId("Earliest");
        TopicRules.checkId("");
        TopicRules.checkType("message");
        TopicRules.checkType("Mercure");
        TopicRules.checkType("");
        assertThat(TopicRules.parseRetry("0")).isZero();
        assertThat(TopicRules.parseRetry("0003000")).isEqualTo(3000);
        assertThat(TopicRules.parseRetry("9".repeat(40))).isEqualTo(Long.MAX_VALUE);
        assertThat(TopicRules.parseRetry("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(TopicRules.parseRetry("9223372036854775806")).isEqualTo(Long.MAX_VALUE - 1);
    }
}
