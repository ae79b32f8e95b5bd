package dev.herald.hub.internal.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormParserTest {

    private static final FormParser PARSER = FormParser.withDefaults();

    /** Input, then expected names and values alternating (WHATWG URL Standard §5.1 behaviour). */
    static Stream<Arguments> whatwgVectors() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of("a=b", List.of("a", "b")),
                Arguments.of("a=b&c", List.of("a", "b", "c", "")),
                Arguments.of("a=b&c=", List.of("a", "b", "c", "")),
                Arguments.of("=b", List.of("", "b")),
                Arguments.of("=", List.of("", "")),
                Arguments.of("a==b", List.of("a", "=b")),
                Arguments.of("a=b=c", List.of("a", "b=c")),
                Arguments.of("&&a=1&&&b=2&&", List.of("a", "1", "b", "2")),
                Arguments.of("&", List.of()),
                Arguments.of("a=1;b=2", List.of("a", "1;b=2")),
                Arguments.of("a+b=c+d", List.of("a b", "c d")),
                Arguments.of("a=%2B", List.of("a", "+")),
                Arguments.of("a=%2b%20", List.of("a", "+ ")),
                Arguments.of("a=%zz", List.of("a", "%zz")),
                Arguments.of("a=%", List.of("a", "%")),
                Arguments.of("a=%4", List.of("a", "%4")),
                Arguments.of("a=100%", List.of("a", "100%")),
                Arguments.of("a=%%41", List.of("a", "%A")),
                Arguments.of("a=%2", List.of("a", "%2")),
                Arguments.of("%61=%62", List.of("a", "b")),
                Arguments.of("a=%26&b=%3D", List.of("a", "&", "b", "=")),
                Arguments.of("a=caf%C3%A9", List.of("a", "café")),
                Arguments.of("a=%F0%9F%98%80", List.of("a", "\uD83D\uDE00")),
                Arguments.of("a=%EF%BB%BFx", List.of("a", "\uFEFFx")),
                Arguments.of("a=1&a=2&b=3&a=4", List.of("a", "1", "a", "2", "b", "3", "a", "4")),
                Arguments.of("match=https%3A%2F%2Fexample.com%2Fbooks%2F1&match_urlpattern=%2Fbooks%2F%3Aid",
                        List.of("match", "https://example.com/books/1", "match_urlpattern", "/books/:id")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("whatwgVectors")
    void parsesLikeTheWhatwgUrlencodedParser(String input, List<String> expected) throws FormException {
        FormData data = PARSER.parse(input.getBytes(StandardCharsets.UTF_8));

        assertThat(flatten(data)).containsExactlyElementsOf(expected);
        assertThat(PARSER.parse(input)).isEqualTo(data);
        assertThat(PARSER.parse(ByteBuffer.wrap(input.getBytes(StandardCharsets.UTF_8)))).isEqualTo(data);
    }

    @Test
    void rawUtf8BytesAreDecoded() throws FormException {
        assertThat(flatten(PARSER.parse("t=café&é=1"))).containsExactly("t", "café", "é", "1");
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("topic=%FF", "invalid UTF-8 in the value of field 1 (topic)"),
                Arguments.of("a=1&topic=%C3", "invalid UTF-8 in the value of field 2 (topic)"),
                Arguments.of("a=%C0%80", "invalid UTF-8 in the value of field 1 (a)"),
                Arguments.of("a=%ED%A0%80", "invalid UTF-8 in the value of field 1 (a)"),
                Arguments.of("a=%F4%90%80%80", "invalid UTF-8 in the value of field 1 (a)"),
                Arguments.of("a=%E2%82", "invalid UTF-8 in the value of field 1 (a)"),
                Arguments.of("a=%80", "invalid UTF-8 in the value of field 1 (a)"),
                Arguments.of("%FF=1", "invalid UTF-8 in the name of field 1"),
                Arguments.of("x&%FE", "invalid UTF-8 in the name of field 2"),
                Arguments.of("bad%0Aname=%FF", "invalid UTF-8 in the value of field 1"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidUtf8")
    void refusesInvalidUtf8AfterPercentDecoding(String input, String message) {
        assertThatThrownBy(() -> PARSER.parse(input))
                .isInstanceOf(MalformedFormException.class)
                .hasMessage(message);
    }

    @Test
    void refusesRawInvalidUtf8Bytes() {
        byte[] input = {'a', '=', (byte) 0xC3, '(', '&'};

        assertThatThrownBy(() -> PARSER.parse(input))
                .isInstanceOf(MalformedFormException.class)
                .hasMessage("invalid UTF-8 in the value of field 1 (a)");
    }

    @Test
    void refusesAnUnpairedSurrogateInACharSequence() {
        assertThatThrownBy(() -> PARSER.parse("a=\uD800"))
                .isInstanceOf(MalformedFormException.class)
                .hasMessage("unpaired surrogate at index 2");
    }

    @Test
    void refusesMoreFieldsThanTheLimitCountingOnlyNonEmptyPieces() throws FormException {
        FormParser parser = FormParser.of(3, 1000);

        assertThat(parser.parse("a&&b&&c&&").size()).isEqualTo(3);
        assertThatThrownBy(() -> parser.parse("a&b&c&d&e"))
                .isInstanceOf(FormLimitException.class)
                .hasMessage("too many fields: 5 (expected: <= 3)");
    }

    @Test
    void refusesInputsOverTheByteLimitBeforeDecoding() throws FormException {
        FormParser parser = FormParser.of(10, 8);

        assertThat(parser.parse("abc=defg").size()).isEqualTo(1);
        assertThatThrownBy(() -> parser.parse("abc=defgh"))
                .isInstanceOf(FormLimitException.class)
                .hasMessage("too large: 9 bytes (expected: <= 8)");
        // é is two bytes: 7 chars but 9 bytes
        assertThatThrownBy(() -> parser.parse("a=éééé"))
                .isInstanceOf(FormLimitException.class)
                .hasMessage("too large: 10 bytes (expected: <= 8)");
        assertThatThrownBy(() -> parser.parse(ByteBuffer.allocateDirect(9)))
                .isInstanceOf(FormLimitException.class);
    }

    @Test
    void parsesASliceAndLeavesABufferPositionAlone() throws FormException {
        byte[] bytes = "xxa=1&b=2yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(flatten(PARSER.parse(bytes, 2, 7))).containsExactly("a", "1", "b", "2");

        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        direct.position(2).limit(9);
        assertThat(flatten(PARSER.parse(direct))).containsExactly("a", "1", "b", "2");
        assertThat(direct.position()).isEqualTo(2);

        ByteBuffer heap = ByteBuffer.wrap(bytes, 2, 7).slice();
        assertThat(flatten(PARSER.parse(heap))).containsExactly("a", "1", "b", "2");
    }

    @Test
    void refusesOutOfBoundsSlices() {
        assertThatThrownBy(() -> PARSER.parse(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> PARSER.parse(new byte[4], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThatThrownBy(() -> FormParser.of(0, 10)).hasMessage("maxFields: 0 (expected: > 0)");
        assertThatThrownBy(() -> FormParser.of(10, -1)).hasMessage("maxBytes: -1 (expected: > 0)");
    }

    @Test
    void parsesLargeAdversarialInputsInLinearTime() {
        // one huge field of stray '%' and one of many tiny fields: both must take milliseconds
        byte[] percents = new byte[FormParser.DEFAULT_MAX_BYTES];
        Arrays.fill(percents, (byte) '%');
        percents[0] = 'a';
        percents[1] = '=';
        byte[] ampersands = new byte[FormParser.DEFAULT_MAX_BYTES];
        Arrays.fill(ampersands, (byte) '&');
        for (int i = 0; i < 999; i++) {
            ampersands[i * 2] = 'x';
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int round = 0; round < 5; round++) {
                assertThat(PARSER.parse(percents).first("a")).get().asString().hasSize(percents.length - 2);
                assertThat(PARSER.parse(ampersands).size()).isEqualTo(999);
            }
        });
    }

    private static List<String> flatten(FormData data) {
        List<String> out = new ArrayList<>();
        for (FormData.Field field : data) {
            out.add(field.name());
            out.add(field.value());
        }
        return out;
    }
}
