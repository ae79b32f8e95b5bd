package dev.herald.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact bytes {@link SseEncoder} writes (WHATWG HTML §9.2.5 syntax), its refusals, and its
 * {@link ByteBuffer} contract.
 */
class SseEncoderTest {

    /** Each row: what it shows, the event, the exact text expected on the wire. */
    static Stream<Arguments> encodings() {
        return Stream.of(
                row("data only", SseEvent.of("hello"), "data: hello\n\n"),
                row("type and data", SseEvent.of("quote", "x"), "event: quote\ndata: x\n\n"),
                row("id and data", SseEvent.builder().id("42").data("x").build(), "id: 42\ndata: x\n\n"),
                row("empty id (resets the last event ID)", SseEvent.builder().id("").data("x").build(),
                        "id: \ndata: x\n\n"),
                row("id alone still ends its block", SseEvent.builder().id("7").build(), "id: 7\n\n"),
                row("type alone still ends its block", SseEvent.builder().type("t").build(), "event: t\n\n"),
                row("retry alone", SseEvent.ofRetry(5000), "retry: 5000\n\n"),
                row("retry zero", SseEvent.ofRetry(0), "retry: 0\n\n"),
                row("retry Long.MAX_VALUE", SseEvent.ofRetry(Long.MAX_VALUE), "retry: 9223372036854775807\n\n"),
                row("every field, in order comment id event retry data",
                        SseEvent.builder().data("d").retry(10).type("t").id("i").comment("c").build(),
                        ": c\nid: i\nevent: t\nretry: 10\ndata: d\n\n"),
                row("no field at all writes nothing", SseEvent.builder().build(), ""),

                row("data split on LF", SseEvent.of("a\nb"), "data: a\ndata: b\n\n"),
                row("data split on CR", SseEvent.of("a\rb"), "data: a\ndata: b\n\n"),
                row("data split on CRLF as one break", SseEvent.of("a\r\nb"), "data: a\ndata: b\n\n"),
                row("LF CR is two breaks", SseEvent.of("a\n\rb"), "data: a\ndata: \ndata: b\n\n"),
                row("mixed breaks", SseEvent.of("a\rb\nc\r\nd"), "data: a\ndata: b\ndata: c\ndata: d\n\n"),
                row("consecutive LFs keep the empty line", SseEvent.of("a\n\nb"), "data: a\ndata: \ndata: b\n\n"),
                row("trailing LF", SseEvent.of("a\n"), "data: a\ndata: \n\n"),
                row("trailing CR", SseEvent.of("a\r"), "data: a\ndata: \n\n"),
                row("trailing CRLF", SseEvent.of("a\r\n"), "data: a\ndata: \n\n"),
                row("leading LF", SseEvent.of("\na"), "data: \ndata: a\n\n"),
                row("data of one CRLF", SseEvent.of("\r\n"), "data: \ndata: \n\n"),
                row("empty data is one empty data line", SseEvent.of(""), "data: \n\n"),
                row("data starting with a space keeps it after the one stripped space", SseEvent.of(" x"),
                        "data:  x\n\n"),
                row("data with a colon", SseEvent.of("a: b"), "data: a: b\n\n"),
                row("data with NUL is written as is", SseEvent.of("a\0b"), "data: a\0b\n\n"),

                row("comment-only frame has no blank line", SseEvent.ofComment("keep-alive"), ": keep-alive\n"),
                row("empty comment", SseEvent.ofComment(""), ": \n"),
                row("multi-line comment, one ':' line each", SseEvent.ofComment("a\nb\r\nc\rd"),
                        ": a\n: b\n: c\n: d\n"),
                row("comment with trailing LF", SseEvent.ofComment("a\n"), ": a\n: \n"),
                row("comment before data", SseEvent.builder().comment("c1\nc2").data("d").build(),
                        ": c1\n: c2\ndata: d\n\n"),

                row("two-byte UTF-8", SseEvent.of("é"), "data: é\n\n"),
                row("three-byte UTF-8", SseEvent.of("€"), "data: €\n\n"),
                row("surrogate pair is one four-byte sequence", SseEvent.of("\uD83D\uDE00"), "data: 😀\n\n"),
                row("unicode id and type", SseEvent.builder().id("ü-😀").type("évé").data("x").build(),
                        "id: ü-😀\nevent: évé\ndata: x\n\n"),
                row("unpaired high surrogate becomes U+FFFD", SseEvent.of("a\uD83Db"), "data: a\uFFFDb\n\n"),
                row("unpaired low surrogate becomes U+FFFD", SseEvent.of("a\uDE00b"), "data: a\uFFFDb\n\n"),
                row("reversed pair is two U+FFFD", SseEvent.of("\uDE00\uD83D"), "data: \uFFFD\uFFFD\n\n"),
                row("high surrogate at the end", SseEvent.of("a\uD83D"), "data: a\uFFFD\n\n"),
                row("a line break splits a pair into two unpaired halves", SseEvent.of("\uD83D\n\uDE00"),
                        "data: \uFFFD\ndata: \uFFFD\n\n"),
                row("unpaired surrogate in an id", SseEvent.builder().id("\uDE00").data("x").build(),
                        "id: \uFFFD\ndata: x\n\n"),
                row("unpaired surrogate in a comment", SseEvent.ofComment("\uD83D"), ": \uFFFD\n"));
    }

    private static Arguments row(String what, SseEvent event, String expected) {
        return Arguments.of(what, event, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void encodeWritesTheExpectedBytes(String what, SseEvent event, String expected) {
        // the expected text never holds an unpaired surrogate, so getBytes is exact here
        assertThat(new String(SseEncoder.encode(event), UTF_8)).isEqualTo(expected);
        assertThat(SseEncoder.encode(event)).isEqualTo(expected.getBytes(UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void encodedLengthEqualsTheBytesWrittenToABuffer(String what, SseEvent event, String expected) {
        int length = SseEncoder.encodedLength(event);
        ByteBuffer buffer = ByteBuffer.allocate(length + 16);

        SseEncoder.encode(event, buffer);

        assertThat(buffer.position()).isEqualTo(length);
        assertThat(length).isEqualTo(expected.getBytes(UTF_8).length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void everyBufferShorterThanTheEventOverflows(String what, SseEvent event, String expected) {
        int length = SseEncoder.encodedLength(event);
        // every size short of the length, so each write path (prefix, value, digits, LF) overflows once
        for (int size = 0; size < length; size++) {
            ByteBuffer tooSmall = ByteBuffer.allocate(size);
            assertThatThrownBy(() -> SseEncoder.encode(event, tooSmall))
                    .as("buffer of %d bytes", size)
                    .isInstanceOf(BufferOverflowException.class);
        }
    }

    @Test
    void writesAtTheBufferPositionAndLeavesTheRestUntouched() {
        SseEvent event = SseEvent.builder().id("1").type("t").retry(99).data("a\nb😀").build();
        byte[] expected = SseEncoder.encode(event);
        byte[] backing = new byte[expected.length + 20];
        Arrays.fill(backing, (byte) '#');
        ByteBuffer buffer = ByteBuffer.wrap(backing);
        buffer.position(7);

        SseEncoder.encode(event, buffer);

        assertThat(buffer.position()).isEqualTo(7 + expected.length);
        assertThat(Arrays.copyOfRange(backing, 7, 7 + expected.length)).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(backing, 0, 7)).containsOnly((byte) '#');
        assertThat(Arrays.copyOfRange(backing, 7 + expected.length, backing.length)).containsOnly((byte) '#');
    }

    @Test
    void writesIntoADirectBufferAtItsPosition() {
        SseEvent event = SseEvent.builder().id("12345").retry(1234567890L).data("x\r\ny").build();
        byte[] expected = SseEncoder.encode(event);
        ByteBuffer direct = ByteBuffer.allocateDirect(expected.length + 3);
        direct.position(3);

        SseEncoder.encode(event, direct);

        assertThat(direct.hasRemaining()).isFalse();
        byte[] written = new byte[expected.length];
        direct.position(3);
        direct.get(written);
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void appendsEventAfterEventInOneBuffer() {
        SseEvent first = SseEvent.ofComment("hi");
        SseEvent second = SseEvent.builder().id("2").data("two").build();
        ByteBuffer buffer = ByteBuffer.allocate(SseEncoder.encodedLength(first) + SseEncoder.encodedLength(second));

        SseEncoder.encode(first, buffer);
        SseEncoder.encode(second, buffer);

        assertThat(new String(buffer.array(), UTF_8)).isEqualTo(": hi\nid: 2\ndata: two\n\n");
    }

    @Test
    void validUnicodeIsEncodedAsStringGetBytesDoes() {
        String text = "ASCII é ß € 中文 😀 𝄞 \u0800 \uFFFF \u007F \u0080 \u07FF";
        assertThat(SseEncoder.encode(SseEvent.of(text)))
                .isEqualTo(("data: " + text + "\n\n").getBytes(UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\0b", "\r", "\n", "\0", "ok\r\n"})
    void idWithCrLfOrNulIsRefusedNamingTheField(String id) {
        SseEvent event = SseEvent.builder().id(id).data("x").build();

        assertThatThrownBy(() -> SseEncoder.encode(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id ");
        assertThatThrownBy(() -> SseEncoder.encodedLength(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("id ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\0b", "\r", "\n", "\0", "ok\r\n"})
    void typeWithCrLfOrNulIsRefusedNamingTheField(String type) {
        SseEvent event = SseEvent.builder().type(type).data("x").build();

        assertThatThrownBy(() -> SseEncoder.encode(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("type ");
        assertThatThrownBy(() -> SseEncoder.encodedLength(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("type ");
    }

    @Test
    void refusalSaysWhichCharacterAndWhere() {
        SseEvent event = SseEvent.builder().id("ab\ncd").build();

        assertThatThrownBy(() -> SseEncoder.encode(event))
                .hasMessage("id must not contain CR, LF or NUL (found U+000A at index 2)");
    }

    @Test
    void refusedEventWritesNothingIntoTheBuffer() {
        SseEvent event = SseEvent.builder().data("fine").type("bad\r").build();
        ByteBuffer buffer = ByteBuffer.allocate(64);

        assertThatThrownBy(() -> SseEncoder.encode(event, buffer)).isInstanceOf(IllegalArgumentException.class);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void negativeRetryIsRefused() {
        assertThatThrownBy(() -> SseEvent.builder().retry(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry: -1 (expected: >= 0)");
        assertThatThrownBy(() -> SseEvent.ofRetry(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry: -1 (expected: >= 0)");
        assertThatThrownBy(() -> SseEvent.ofRetry(Long.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry: -9223372036854775808 (expected: >= 0)");
    }

    @Test
    void noRetryRemovesTheRetryLine() {
        SseEvent event = SseEvent.builder().retry(5).data("x").noRetry().build();

        assertThat(new String(SseEncoder.encode(event), UTF_8)).isEqualTo("data: x\n\n");
    }

    @Test
    void nullEventIsRefusedNamingIt() {
        assertThatThrownBy(() -> SseEncoder.encode(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("event");
        assertThatThrownBy(() -> SseEncoder.encodedLength(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("event");
        assertThatThrownBy(() -> SseEncoder.encode(null, ByteBuffer.allocate(8)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("event");
    }
}
