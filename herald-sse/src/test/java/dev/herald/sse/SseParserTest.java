package dev.herald.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SseParser} behaviour beyond the shared conformance cases: its size limit, its
 * {@link ByteBuffer} input, {@link SseParser#reset()}, comments, and the memory it keeps.
 */
class SseParserTest {

    private static final int LIMIT = 32;

    /** The ways a test feeds one stream: whole, in 7-byte pieces, and one byte at a time. */
    enum Chunking {
        WHOLE(Integer.MAX_VALUE), SEVEN_BYTES(7), BYTE_BY_BYTE(1);

        private final int size;

        Chunking(int size) {
            this.size = size;
        }

        void feed(SseParser parser, byte[] stream) {
            for (int from = 0; from < stream.length; from += size) {
                // a fresh array per piece, so the parser cannot rely on an earlier piece staying put
                parser.feed(Arrays.copyOfRange(stream, from, (int) Math.min(stream.length, (long) from + size)));
            }
        }
    }

    // ---- maxEventSize -------------------------------------------------------------------------

    @Test
    void maxEventSizeMustBePositive() {
        assertThatThrownBy(() -> SseParser.builder(new RecordingListener()).maxEventSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEventSize: 0 (expected: > 0)");
        assertThatThrownBy(() -> SseParser.builder(new RecordingListener()).maxEventSize(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEventSize: -5 (expected: > 0)");
    }

    @Test
    void defaultMaxEventSizeIsOneMebibyte() {
        assertThat(SseParser.DEFAULT_MAX_EVENT_SIZE).isEqualTo(1024 * 1024);
        byte[] tooLong = ("data: " + "x".repeat(SseParser.DEFAULT_MAX_EVENT_SIZE) + "\n\n").getBytes(UTF_8);

        assertThatThrownBy(() -> SseParser.create(new RecordingListener()).feed(tooLong))
                .isInstanceOf(SseEventTooLargeException.class)
                .satisfies(e -> assertThat(((SseEventTooLargeException) e).maxEventSize())
                        .isEqualTo(SseParser.DEFAULT_MAX_EVENT_SIZE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data: ", "id: ", "event: ", ": ", "unknown-field: ", "retry: 1"})
    void lineLongerThanTheLimitIsTooLargeInEveryChunking(String fieldPrefix) {
        // one byte over: the line, without its line ending, is LIMIT + 1 bytes
        byte[] stream = (fieldPrefix + "x".repeat(LIMIT + 1 - fieldPrefix.length()) + "\n\n").getBytes(UTF_8);

        for (Chunking chunking : Chunking.values()) {
            SseParser parser = SseParser.builder(new RecordingListener()).maxEventSize(LIMIT).build();
            assertThatThrownBy(() -> chunking.feed(parser, stream))
                    .as("%s fed %s", fieldPrefix, chunking)
                    .isInstanceOf(SseEventTooLargeException.class)
                    .hasMessage("event larger than 32 bytes (maxEventSize)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"data: ", "id: ", "event: ", ": ", "unknown-field: "})
    void lineOfExactlyTheLimitPassesInEveryChunking(String fieldPrefix) {
        String value = "x".repeat(LIMIT - fieldPrefix.length());
        byte[] stream = (fieldPrefix + value + "\n\n").getBytes(UTF_8);

        for (Chunking chunking : Chunking.values()) {
            SseParser parser = SseParser.builder(new RecordingListener()).maxEventSize(LIMIT).build();
            assertThatCode(() -> chunking.feed(parser, stream)).as("%s fed %s", fieldPrefix, chunking)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void exactlyAtTheLimitDataLineIsDispatchedWhole() {
        String value = "x".repeat(LIMIT - "data: ".length());
        byte[] stream = ("data: " + value + "\r\n\r\n").getBytes(UTF_8);

        for (Chunking chunking : Chunking.values()) {
            RecordingListener listener = new RecordingListener();
            chunking.feed(SseParser.builder(listener).maxEventSize(LIMIT).build(), stream);
            assertThat(listener.events).as("%s", chunking).extracting(SseEvent::data).containsExactly(value);
        }
    }

    @Test
    void multiLineDataBeyondTheLimitIsTooLargeInEveryChunking() {
        // each line is short, but together they hold more than the limit
        byte[] stream = "data: 0123456789\ndata: 0123456789\ndata: 0123456789\n\n".getBytes(UTF_8);

        for (Chunking chunking : Chunking.values()) {
            RecordingListener listener = new RecordingListener();
            SseParser parser = SseParser.builder(listener).maxEventSize(LIMIT).build();
            assertThatThrownBy(() -> chunking.feed(parser, stream)).as("%s", chunking)
                    .isInstanceOf(SseEventTooLargeException.class);
            assertThat(listener.events).isEmpty();
        }
    }

    @Test
    void multiLineDataExactlyAtTheLimitPassesInEveryChunking() {
        // held while parsing the last line: "a\n" + "b\n" from the data buffer, plus the 28-byte line
        String last = "data: " + "c".repeat(LIMIT - 4 - "data: ".length());
        byte[] stream = ("data: a\ndata: b\n" + last + "\n\n").getBytes(UTF_8);

        for (Chunking chunking : Chunking.values()) {
            RecordingListener listener = new RecordingListener();
            chunking.feed(SseParser.builder(listener).maxEventSize(LIMIT).build(), stream);
            assertThat(listener.events).as("%s", chunking).hasSize(1);
        }
        byte[] oneMore = ("data: a\ndata: b\n" + last + "c\n\n").getBytes(UTF_8);
        for (Chunking chunking : Chunking.values()) {
            SseParser parser = SseParser.builder(new RecordingListener()).maxEventSize(LIMIT).build();
            assertThatThrownBy(() -> chunking.feed(parser, oneMore)).as("%s", chunking)
                    .isInstanceOf(SseEventTooLargeException.class);
        }
    }

    @Test
    void limitIsPerEventNotPerStream() {
        String event = "data: 0123456789012345678901\n\n"; // 28 bytes of line, under the 32-byte limit
        byte[] stream = event.repeat(1000).getBytes(UTF_8);

        for (Chunking chunking : Chunking.values()) {
            RecordingListener listener = new RecordingListener();
            chunking.feed(SseParser.builder(listener).maxEventSize(LIMIT).build(), stream);
            assertThat(listener.events).as("%s", chunking).hasSize(1000);
        }
    }

    @Test
    void eventsBeforeTheTooLargeOneAreDispatched() {
        byte[] stream = ("data: one\n\ndata: " + "x".repeat(100) + "\n\n").getBytes(UTF_8);
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.builder(listener).maxEventSize(LIMIT).build();

        assertThatThrownBy(() -> parser.feed(stream)).isInstanceOf(SseEventTooLargeException.class);
        assertThat(listener.events).extracting(SseEvent::data).containsExactly("one");
    }

    @Test
    void parserWorksAgainAfterTooLargeAndReset() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.builder(listener).maxEventSize(LIMIT).build();
        assertThatThrownBy(() -> parser.feed(("data: " + "x".repeat(100)).getBytes(UTF_8)))
                .isInstanceOf(SseEventTooLargeException.class);

        parser.reset();
        parser.feed("data: fine\n\n".getBytes(UTF_8));

        assertThat(listener.events).extracting(SseEvent::data).containsExactly("fine");
    }

    // ---- line breaks ----------------------------------------------------------------------------

    @Test
    void lineBreaksAreFoundAtEveryOffsetAmongLookalikeBytes() {
        // U+010A and U+010D encode as C4 8A and C4 8D: one bit away from LF and CR, as are VT and FF
        String lookalikes = "\u010A\u010D\u000B\u000Cx";
        for (String lineEnd : List.of("\n", "\r", "\r\n")) {
            for (int shift = 0; shift < 8; shift++) {
                StringBuilder stream = new StringBuilder(":" + "s".repeat(shift) + lineEnd);
                List<String> expected = new ArrayList<>();
                for (int length = 0; length <= 24; length++) {
                    StringBuilder value = new StringBuilder();
                    for (int k = 0; k < length; k++) {
                        value.append(lookalikes.charAt(k % lookalikes.length()));
                    }
                    stream.append("data: ").append(value).append(lineEnd).append(lineEnd);
                    expected.add(value.toString());
                }
                RecordingListener listener = new RecordingListener();

                SseParser.create(listener).feed(stream.toString().getBytes(UTF_8));

                assertThat(listener.events).as("line end %s, shift %d", lineEnd.replace("\r", "CR")
                                .replace("\n", "LF"), shift)
                        .extracting(SseEvent::data).containsExactlyElementsOf(expected);
            }
        }
    }

    // ---- ByteBuffer input -----------------------------------------------------------------------

    @Test
    void directBufferIsParsedFromPositionToLimitAndConsumed() {
        byte[] events = "data: skipped\n\n".getBytes(UTF_8);
        byte[] wanted = "id: 1\ndata: a\n\ndata: b\n\n".getBytes(UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(events.length + wanted.length + 10);
        direct.put(events).put(wanted).put("data: c\n\n".getBytes(UTF_8));
        direct.position(events.length).limit(events.length + wanted.length);
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(direct);

        assertThat(direct.position()).isEqualTo(direct.limit());
        assertThat(listener.events).containsExactly(
                SseEvent.dispatched("1", "message", "a"), SseEvent.dispatched("1", "message", "b"));
    }

    @Test
    void directBufferLargerThanTheParsersCopyChunkIsParsedWhole() {
        // 3000 events of 12 bytes: 36 000 bytes, several times the parser's internal copy chunk
        byte[] stream = "data: 1234\n\n".repeat(3000).getBytes(UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(stream.length).put(stream).flip();
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(direct);

        assertThat(listener.events).hasSize(3000).allSatisfy(e -> assertThat(e.data()).isEqualTo("1234"));
    }

    @Test
    void heapBufferWithArrayOffsetIsParsedFromItsPosition() {
        byte[] backing = "XXXXXdata: skip\n\ndata: yes\n\nYYYY".getBytes(UTF_8);
        // a slice has a non-zero array offset; its position then skips one more event
        ByteBuffer slice = ByteBuffer.wrap(backing, 5, backing.length - 9).slice();
        assertThat(slice.arrayOffset()).isEqualTo(5);
        slice.position("data: skip\n\n".length());
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(slice);

        assertThat(slice.hasRemaining()).isFalse();
        assertThat(listener.events).extracting(SseEvent::data).containsExactly("yes");
    }

    @Test
    void readOnlyHeapBufferIsParsed() {
        ByteBuffer readOnly = ByteBuffer.wrap("data: ro\n\n".getBytes(UTF_8)).asReadOnlyBuffer();
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(readOnly);

        assertThat(readOnly.hasRemaining()).isFalse();
        assertThat(listener.events).extracting(SseEvent::data).containsExactly("ro");
    }

    @Test
    void bufferFeedsAndArrayFeedsMixInOneStream() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed(ByteBuffer.wrap("data: he".getBytes(UTF_8)));
        parser.feed(ByteBuffer.allocateDirect(8).put("llo\r".getBytes(UTF_8)).flip());
        parser.feed("\n\r\n".getBytes(UTF_8), 0, 3);

        assertThat(listener.events).extracting(SseEvent::data).containsExactly("hello");
    }

    @Test
    void arrayFeedIsBoundsChecked() {
        SseParser parser = SseParser.create(new RecordingListener());

        assertThatThrownBy(() -> parser.feed(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> parser.feed(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void onlyTheGivenRangeOfAnArrayIsParsed() {
        byte[] bytes = "data: no\n\ndata: yes\n\ndata: no\n\n".getBytes(UTF_8);
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(bytes, 10, 11);

        assertThat(listener.events).extracting(SseEvent::data).containsExactly("yes");
    }

    // ---- reset() --------------------------------------------------------------------------------

    @Test
    void resetStripsTheBomOfTheNextStreamAgain() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed("\uFEFFdata: first\n\n".getBytes(UTF_8));
        parser.reset();
        parser.feed("\uFEFFdata: second\n\n".getBytes(UTF_8));

        assertThat(listener.events).extracting(SseEvent::data).containsExactly("first", "second");
    }

    @Test
    void withoutResetABomLaterInTheStreamIsContent() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed("\uFEFFdata: first\n\n".getBytes(UTF_8));
        parser.feed("\uFEFFdata: second\n\n".getBytes(UTF_8)); // field name "\uFEFFdata" is unknown

        assertThat(listener.events).extracting(SseEvent::data).containsExactly("first");
    }

    @Test
    void resetForgetsAPartlySeenBom() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed(new byte[] {(byte) 0xEF, (byte) 0xBB}); // the stream ends inside a BOM
        parser.reset();
        parser.feed("\uFEFFdata: x\n\n".getBytes(UTF_8));

        assertThat(listener.events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void resetDiscardsTheUncommittedIdAndKeepsTheLastEventId() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed("id: 1\ndata: a\n\nid: 2\n".getBytes(UTF_8)); // id 2 never reaches a blank line
        parser.reset();

        assertThat(parser.lastEventId()).isEqualTo("1");
        parser.feed("data: b\n\n".getBytes(UTF_8));
        assertThat(listener.events).containsExactly(
                SseEvent.dispatched("1", "message", "a"), SseEvent.dispatched("1", "message", "b"));
    }

    @Test
    void resetDiscardsTheUnfinishedBlockAndLine() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed("event: custom\ndata: lost\ndata: par".getBytes(UTF_8));
        parser.reset();
        parser.feed("\ndata: kept\n\n".getBytes(UTF_8));

        assertThat(listener.events).containsExactly(SseEvent.dispatched("", "message", "kept"));
    }

    @Test
    void resetKeepsTheReconnectionTime() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.create(listener);

        parser.feed("retry: 3000\n".getBytes(UTF_8)); // takes effect when its line ends, block or not
        parser.reset();

        assertThat(parser.reconnectionTime()).isEqualTo(3000);
        assertThat(listener.retries).containsExactly(3000L);
    }

    @Test
    void seededLastEventIdIsUsedUntilAnIdArrives() {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.builder(listener).lastEventId("41").build();
        assertThat(parser.lastEventId()).isEqualTo("41");

        parser.feed("data: a\n\nid: 42\ndata: b\n\n".getBytes(UTF_8));

        assertThat(listener.events).containsExactly(
                SseEvent.dispatched("41", "message", "a"), SseEvent.dispatched("42", "message", "b"));
    }

    @Test
    void builderRefusesNulls() {
        assertThatThrownBy(() -> SseParser.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("listener");
        assertThatThrownBy(() -> SseParser.create(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("listener");
        assertThatThrownBy(() -> SseParser.builder(new RecordingListener()).lastEventId(null))
                .isInstanceOf(NullPointerException.class).hasMessage("lastEventId");
    }

    // ---- comments -------------------------------------------------------------------------------

    @Test
    void commentsAreReportedWithTheTextAfterTheColon() {
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(": keep-alive\r:no-space\n:\r\n::x\n".getBytes(UTF_8));

        assertThat(listener.comments).containsExactly(" keep-alive", "no-space", "", ":x");
        assertThat(listener.events).isEmpty();
    }

    @Test
    void commentInsideABlockNeitherEndsNorChangesIt() {
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed("data: a\n: between\ndata: b\n\n".getBytes(UTF_8));

        assertThat(listener.comments).containsExactly(" between");
        assertThat(listener.events).extracting(SseEvent::data).containsExactly("a\nb");
    }

    @Test
    void encodedCommentComesBackWithItsSpace() {
        RecordingListener listener = new RecordingListener();

        SseParser.create(listener).feed(SseEncoder.encode(SseEvent.ofComment("one\ntwo é")));

        assertThat(listener.comments).containsExactly(" one", " two é");
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Test
    void buffersGrownForABigEventAreGivenBackAfterIt() {
        SseParser parser = SseParser.create(new RecordingListener());
        int before = retainedBufferBytes(parser);
        byte[] big = ("data: " + "x".repeat(300_000) + "\n\n").getBytes(UTF_8);

        Chunking.SEVEN_BYTES.feed(parser, Arrays.copyOf(big, 8192)); // a line spanning chunks...
        parser.feed(big, 8192, big.length - 8192); // ...then the rest of the event, dispatched

        assertThat(retainedBufferBytes(parser)).isLessThanOrEqualTo(before);
    }

    @Test
    void bufferGrownForALongCommentIsGivenBackAfterTheLine() {
        SseParser parser = SseParser.create(new RecordingListener());
        int before = retainedBufferBytes(parser);
        byte[] comment = (":" + "x".repeat(300_000) + "\n").getBytes(UTF_8);

        parser.feed(comment, 0, 100_000);
        parser.feed(comment, 100_000, comment.length - 100_000);

        assertThat(retainedBufferBytes(parser)).isLessThanOrEqualTo(before);
    }

    @Test
    void buffersDoNotKeepGrowingOverALongStream() {
        SseParser parser = SseParser.create(new RecordingListener());
        byte[] event = ("id: 12345\nevent: quote\ndata: " + "{\"p\":1}".repeat(200) + "\n\n").getBytes(UTF_8);
        Chunking.SEVEN_BYTES.feed(parser, event);
        int afterOne = retainedBufferBytes(parser);

        for (int i = 0; i < 200; i++) {
            Chunking.SEVEN_BYTES.feed(parser, event);
        }

        assertThat(retainedBufferBytes(parser)).isEqualTo(afterOne);
    }

    @Test
    void allocationIsPerEventNotPerByteOrChunk() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeThat(bean).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);

        int events = 2000;
        // each event: 80 bytes fed in 7-byte pieces, so every line spans pieces
        byte[] stream = "id: 123\nevent: quote\ndata: {\"symbol\":\"ACME\",\"price\":123.45,\"ts\":1700000000000}\n\n"
                .repeat(events).getBytes(UTF_8);
        byte[][] pieces = new byte[(stream.length + 6) / 7][];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = Arrays.copyOfRange(stream, i * 7, Math.min(stream.length, i * 7 + 7));
        }
        CountingListener listener = new CountingListener();
        SseParser parser = SseParser.create(listener);
        Consumer<SseParser> parseAll = p -> {
            for (byte[] piece : pieces) {
                p.feed(piece);
            }
        };
        parseAll.accept(parser); // warm-up: lazily created buffers, class loading

        long tid = Thread.currentThread().getId();
        long start = threads.getThreadAllocatedBytes(tid);
        parseAll.accept(parser);
        long allocated = threads.getThreadAllocatedBytes(tid) - start;

        assertThat(listener.count).isEqualTo(2L * events);
        // per event: the SseEvent, its data String and the id String, about 250 bytes in all;
        // anything per byte (80) or per piece (12) would cost several times that
        assertThat(allocated / events).as("bytes allocated per event").isLessThan(600);
    }

    /** The bytes held in the parser's byte-array fields, whatever they are called. */
    private static int retainedBufferBytes(SseParser parser) {
        int total = 0;
        for (Field field : SseParser.class.getDeclaredFields()) {
            if (field.getType() == byte[].class && !Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                try {
                    byte[] buffer = (byte[]) field.get(parser);
                    total += buffer == null ? 0 : buffer.length;
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return total;
    }

    /** Counts events without keeping them, so the listener itself allocates nothing. */
    private static final class CountingListener implements SseListener {
        long count;

        @Override
        public void onEvent(SseEvent event) {
            count++;
        }
    }
}
