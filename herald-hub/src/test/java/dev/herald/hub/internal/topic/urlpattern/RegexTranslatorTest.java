package dev.herald.hub.internal.topic.urlpattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ECMAScript ({@code v} flag) semantics of custom regexp groups survive translation to RE2. The
 * inputs here go beyond what parsed URL components can contain (non-ASCII, line terminators), to pin
 * the translation itself.
 */
class RegexTranslatorTest {

    /** ECMAScript source, input, and whether the whole input matches under {@code /^(?:source)$/v}. */
    static Stream<Arguments> semantics() {
        return Stream.of(
                Arguments.of(".", "a", true),
                Arguments.of(".", "\n", false),
                Arguments.of(".", "\r", false),
                Arguments.of(".", "\u2028", false),
                Arguments.of(".", "\uD83D\uDE00", true),
                Arguments.of("\\s", "\u00A0", true),
                Arguments.of("\\s", "\uFEFF", true),
                Arguments.of("\\s", "\u000B", true),
                Arguments.of("\\s", "\u0085", false),
                Arguments.of("\\S", "\u00A0", false),
                Arguments.of("\\w", "_", true),
                Arguments.of("\\w", "\u00E9", false),
                Arguments.of("\\W", "\u00E9", true),
                Arguments.of("\\d", "\u0661", false),
                Arguments.of("\\D+", "ab", true),
                Arguments.of("[^]", "\n", true),
                Arguments.of("[]", "a", false),
                Arguments.of("[\\b]", "\b", true),
                Arguments.of("\\cJ", "\n", true),
                Arguments.of("\\0", "\u0000", true),
                Arguments.of("\\x41\\u0042\\u{43}", "ABC", true),
                Arguments.of("\\u{1F600}", "\uD83D\uDE00", true),
                Arguments.of("\\uD83D\\uDE00", "\uD83D\uDE00", true),
                Arguments.of("[\\uD83D\\uDE00]", "\uD83D\uDE00", true),
                Arguments.of("\\/\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", "/.*+?()[]{}|^$\\", true),
                Arguments.of("[\\-\\&\\!]+", "-&!", true),
                Arguments.of("[[a-c][x-z]]+", "abzy", true),
                Arguments.of("[[a-c][x-z]]", "m", false),
                Arguments.of("[^\\d]", "5", false),
                Arguments.of("[^\\d]", "x", true),
                Arguments.of("[\\w--\\d]+", "ab_", true),
                Arguments.of("[\\w--\\d]", "5", false),
                Arguments.of("[\\w&&[a-f]]+", "cafe", true),
                Arguments.of("[\\w&&[a-f]]", "g", false),
                Arguments.of("[^[^a]]", "a", true),
                Arguments.of("[[a-z]--[aeiou]--[xyz]]", "y", false),
                Arguments.of("[[a-z]--[aeiou]--[xyz]]", "b", true),
                Arguments.of("a|bc", "bc", true),
                Arguments.of("a|bc", "ac", false),
                Arguments.of("(?:ab)+", "ababab", true),
                Arguments.of("(?<word>ab)*c", "ababc", true),
                Arguments.of("a{2}", "aa", true),
                Arguments.of("a{2}", "aaa", false),
                Arguments.of("a{2,}", "aaaaa", true),
                Arguments.of("a{2,3}?", "aaa", true),
                Arguments.of("a*?b??", "aaa", true),
                Arguments.of("^a$", "a", true),
                Arguments.of("a\\b", "a", true),
                Arguments.of("a\\Bb", "ab", true),
                Arguments.of("a\\bb", "ab", false),
                Arguments.of("-/,;'\"= ", "-/,;'\"= ", true));
    }

    @ParameterizedTest(name = "[{index}] /{0}/ ~ {1} -> {2}")
    @MethodSource("semantics")
    void translatesEcmaScriptSemanticsToRe2(String source, String input, boolean matches) throws UrlPatternException {
        String re2 = RegexTranslator.translate(source);

        assertThat(Pattern.compile("^(?:" + re2 + ")$").matches(input)).as(re2).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\\-", "\\a", "\\e", "\\z", "\\Z", "\\A", "\\G", "\\Q", "\\8", "\\00", "\\c1", "\\x4", "\\u12",
            "\\u{110000}", "\\u{}", "\\uDE00", "\\p{L}", "\\P{L}", "\\k<a>", "\\2", "{", "}", "]", "a{,2}",
            "a{1", "*", "+a", "?", "a|*", "(?=a)", "(?!a)", "(?<=a)", "(?<!a)", "(?i:a)", "(?P<n>a)", "(?<1a>b)",
            "(?<a>x)(?<a>y)", "(?:a", "[a", "[a-]", "[-a]", "[a-\\d]", "[\\d-a]", "[(]", "[)]", "[{]", "[}]",
            "[/]", "[|]", "[a&&&b]", "[a&&]", "[&&a]", "[a--]", "[ab&&c]", "[a&&b--c]", "[a--b&&c]", "[a!!]",
            "[a##]", "[a$$]", "[a%%]", "[a**]", "[a++]", "[a,,]", "[a..]", "[a::]", "[a;;]", "[a<<]", "[a==]",
            "[a>>]", "[a??]", "[a@@]", "[a^^]", "[a``]", "[a~~]", "[a-z--[aeiou]]", "[\\q{ab}]", "[\\p{L}]", "\\b+", "^*", "$?",
            "a{3,2}", "a{1001}", "(?:a{10}){101}", "\\"})
    void refusesWhatEcmaScriptVModeRejectsOrRe2CannotRunLinearly(String source) {
        assertThatThrownBy(() -> RegexTranslator.translate(source))
                .isInstanceOf(UrlPatternException.class)
                .hasMessageStartingWith("invalid regular expression: ");
    }

    @ParameterizedTest
    @ValueSource(ints = {RegexTranslator.MAX_NESTING - 1, RegexTranslator.MAX_NESTING + 1})
    void boundsNesting(int depth) {
        String groups = "(?:".repeat(depth) + "a" + ")".repeat(depth);
        String classes = "[".repeat(depth) + "a" + "]".repeat(depth);
        boolean accepted = depth < RegexTranslator.MAX_NESTING;

        assertThat(translates(groups)).isEqualTo(accepted);
        assertThat(translates(classes)).isEqualTo(accepted);
    }

    private static boolean translates(String source) {
        try {
            RegexTranslator.translate(source);
            return true;
        } catch (UrlPatternException e) {
            assertThat(e).hasMessageContaining("nested deeper than");
            return false;
        }
    }
}
