package dev.herald.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link SseEncoder} and {@link SseParser} together: what the encoder writes, the
 * parser reads back (as WHATWG HTML §9.2.6 defines the reading), however the bytes are chunked; and
 * on arbitrary bytes the parser neither throws anything but {@link SseEventTooLargeException} nor
 * depends on the chunking.
 */
class SseRoundTripPropertiesTest {

    /** Pieces that stress the wire format, mixed into otherwise arbitrary text. */
    private static final List<String> TRICKY_TEXT = List.of("\r", "\n", "\r\n", "\n\r", "\r\r", " ", ":", ": ",
            "\0", "\uFEFF", "é", "€", "😀", "\uD83D", "\uDE00", "data: x", "id: 1", "event: e", "retry: 5",
            "\u2028", "\u0085");

    /** Byte pieces: field names, line endings, a BOM, and valid, invalid and cut-off UTF-8. */
    private static final List<byte[]> TRICKY_BYTES = List.of(
            "data:".getBytes(UTF_8), "data: ".getBytes(UTF_8), "id:".getBytes(UTF_8), "id: ".getBytes(UTF_8),
            "event:".getBytes(UTF_8), "retry:".getBytes(UTF_8), "retry: 12".getBytes(UTF_8),
            "retry: 99999999999999999999".getBytes(UTF_8), ":".getBytes(UTF_8), " ".getBytes(UTF_8),
            "\r".getBytes(UTF_8), "\n".getBytes(UTF_8), "\r\n".getBytes(UTF_8), "\n\n".getBytes(UTF_8),
            bytes(0xEF, 0xBB, 0xBF), bytes(0xEF, 0xBB), bytes(0xED, 0xA0, 0x80), bytes(0xC3),
            bytes(0x80), bytes(0xF0, 0x9F, 0x98, 0x80), bytes(0xF0, 0x9F), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xFF), bytes(0x00));

    // ---- encode, then parse ---------------------------------------------------------------------

    @Property(tries = 500)
    void encodedEventsParseBackAsTheStandardReadsThem(@ForAll("eventLists") List<SseEvent> events,
                                                      @ForAll("chunkSizes") List<Integer> chunkSizes,
                                                      @ForAll boolean viaDirectBuffer) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (SseEvent event : events) {
            byte[] encoded = SseEncoder.encode(event);
            assertThat(encoded).hasSize(SseEncoder.encodedLength(event));
            stream.writeBytes(encoded);
        }

        Outcome parsed = parse(stream.toByteArray(), chunkSizes, viaDirectBuffer, SseParser.DEFAULT_MAX_EVENT_SIZE);

        assertThat(parsed).isEqualTo(expectedOutcome(events));
    }

    @Property(tries = 300)
    void encodingIntoOneSharedBufferEqualsConcatenatedEncodings(@ForAll("eventLists") List<SseEvent> events,
                                                                @ForAll @IntRange(max = 16) int offset) {
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        int total = 0;
        for (SseEvent event : events) {
            concatenated.writeBytes(SseEncoder.encode(event));
            total += SseEncoder.encodedLength(event);
        }
        ByteBuffer shared = ByteBuffer.allocate(offset + total);
        shared.position(offset);

        for (SseEvent event : events) {
            SseEncoder.encode(event, shared);
        }

        assertThat(shared.hasRemaining()).isFalse();
        assertThat(Arrays.copyOfRange(shared.array(), offset, offset + total))
                .isEqualTo(concatenated.toByteArray());
    }

    // ---- arbitrary bytes ------------------------------------------------------------------------

    @Property(tries = 1000)
    void arbitraryBytesNeverThrowAnythingButTooLarge(@ForAll("streams") byte[] stream,
                                                     @ForAll("chunkSizes") List<Integer> chunkSizes,
                                                     @ForAll boolean viaDirectBuffer,
                                                     @ForAll @IntRange(min = 1, max = 80) int maxEventSize) {
        // parse() lets nothing but SseEventTooLargeException through; anything else fails the property
        parse(stream, chunkSizes, viaDirectBuffer, maxEventSize);
        parse(stream, chunkSizes, viaDirectBuffer, SseParser.DEFAULT_MAX_EVENT_SIZE);
    }

    @Property(tries = 1000)
    void arbitraryBytesGiveTheSameOutcomeInEveryChunking(@ForAll("streams") byte[] stream,
                                                         @ForAll("chunkSizes") List<Integer> chunkSizes,
                                                         @ForAll boolean viaDirectBuffer,
                                                         @ForAll @IntRange(min = 1, max = 80) int maxEventSize) {
        Outcome whole = parse(stream, List.of(Integer.MAX_VALUE), false, maxEventSize);

        assertThat(parse(stream, chunkSizes, viaDirectBuffer, maxEventSize)).isEqualTo(whole);
        assertThat(parse(stream, List.of(1), false, maxEventSize)).isEqualTo(whole);
    }

    // ---- generators -----------------------------------------------------------------------------

    @Provide
    Arbitrary<List<SseEvent>> eventLists() {
        Arbitrary<String> text = Arbitraries.oneOf(
                        Arbitraries.of(TRICKY_TEXT),
                        Arbitraries.strings().ofMaxLength(6),
                        Arbitraries.strings().all().ofMaxLength(3))
                .list().ofMaxSize(8)
                .map(parts -> String.join("", parts));
        // what the encoder accepts in an id or a type: no CR, LF or NUL
        Arbitrary<String> singleLine = text.map(s -> s.replace("\r", "").replace("\n", "").replace("\0", ""));
        Arbitrary<Long> retry = Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.of(0L, 1L, Long.MAX_VALUE));
        Arbitrary<SseEvent> event = Combinators.combine(
                        singleLine.injectNull(0.4), singleLine.injectNull(0.5), text.injectNull(0.2),
                        retry.injectNull(0.8), text.injectNull(0.8))
                .as((id, type, data, retryMillis, comment) -> {
                    SseEvent.Builder b = SseEvent.builder().id(id).type(type).data(data).comment(comment);
                    return retryMillis == null ? b.build() : b.retry(retryMillis).build();
                });
        return event.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<byte[]> streams() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.of(TRICKY_BYTES),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                Arbitraries.strings().ofMaxLength(8).map(s -> s.getBytes(UTF_8)));
        return piece.list().ofMaxSize(40).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    // ---- the model and the harness --------------------------------------------------------------

    /** Everything a parser reports for one stream, and whether it stopped at a too-large event. */
    record Outcome(List<SseEvent> events, List<String> comments, List<Long> retries, String lastEventId,
                   long reconnectionTime, boolean tooLarge) {
    }

    /**
     * Feeds {@code stream} in pieces of the given sizes (cycled), then ends it. Only
     * {@link SseEventTooLargeException} is caught; it ends the stream like a dropped connection.
     */
    private static Outcome parse(byte[] stream, List<Integer> chunkSizes, boolean viaDirectBuffer,
                                 int maxEventSize) {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.builder(listener).maxEventSize(maxEventSize).build();
        boolean tooLarge = false;
        try {
            int from = 0;
            for (int i = 0; from < stream.length; i++) {
                int to = (int) Math.min(stream.length, (long) from + chunkSizes.get(i % chunkSizes.size()));
                if (viaDirectBuffer) {
                    parser.feed(ByteBuffer.allocateDirect(to - from).put(stream, from, to - from).flip());
                } else {
                    parser.feed(Arrays.copyOfRange(stream, from, to));
                }
                from = to;
            }
        } catch (SseEventTooLargeException e) {
            tooLarge = true;
        }
        parser.reset();
        return new Outcome(listener.events, listener.comments, listener.retries, parser.lastEventId(),
                parser.reconnectionTime(), tooLarge);
    }

    /**
     * What a reader following §9.2.6 gets from the encoded events: line breaks in data and comments
     * come back as LF, an empty or absent type as {@code message}, an event without an id carries the
     * last one seen, unpaired surrogates come back as U+FFFD, and a block without data dispatches
     * nothing but still sets the last event ID.
     */
    private static Outcome expectedOutcome(List<SseEvent> events) {
        List<SseEvent> dispatched = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        List<Long> retries = new ArrayList<>();
        String lastEventId = "";
        for (SseEvent e : events) {
            if (e.comment() != null) {
                for (String line : lines(e.comment())) {
                    comments.add(" " + scalarValues(line)); // the encoder writes ": " + line
                }
            }
            if (e.id() != null) {
                lastEventId = scalarValues(e.id());
            }
            if (e.retry() != SseEvent.NO_RETRY) {
                retries.add(e.retry());
            }
            if (e.data() != null) {
                String type = e.type() == null || e.type().isEmpty() ? SseEvent.DEFAULT_TYPE : scalarValues(e.type());
                dispatched.add(SseEvent.dispatched(lastEventId, type,
                        String.join("\n", lines(scalarValues(e.data())))));
            }
        }
        long reconnectionTime = retries.isEmpty() ? SseEvent.NO_RETRY : retries.get(retries.size() - 1);
        return new Outcome(dispatched, comments, retries, lastEventId, reconnectionTime, false);
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\r\n|\r|\n", -1));
    }

    /** {@code s} with every unpaired surrogate replaced by U+FFFD, as UTF-8 encoding then decoding does. */
    private static String scalarValues(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
