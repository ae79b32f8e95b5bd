package dev.herald.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Utf8#decode} against a plain transcription of the WHATWG Encoding standard's UTF-8 decoder
 * (§4.1), which the event-stream rules (WHATWG HTML §9.2.6) require: one U+FFFD per maximal invalid
 * subpart, where the JDK's own decoder sometimes emits a different number.
 */
class Utf8DecodeTest {

    private static final List<byte[]> PIECES = List.of(
            bytes(0x41), bytes(0x7F), bytes(0x00), bytes(0xC3, 0xA9), bytes(0xC3), bytes(0xC0, 0x80),
            bytes(0xC1, 0xBF), bytes(0xE2, 0x82, 0xAC), bytes(0xE2, 0x82), bytes(0xE0, 0x80, 0x80),
            bytes(0xE0, 0xA0, 0x80), bytes(0xED, 0x9F, 0xBF), bytes(0xED, 0xA0, 0x80), bytes(0xEF, 0xBF, 0xBD),
            bytes(0xEF, 0xBB, 0xBF), bytes(0xF0, 0x9F, 0x98, 0x80), bytes(0xF0, 0x9F, 0x98), bytes(0xF0, 0x80),
            bytes(0xF0, 0x8F, 0xBF, 0xBF), bytes(0xF4, 0x8F, 0xBF, 0xBF), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xF5), bytes(0xFF), bytes(0x80), bytes(0xBF), bytes(0x0A), bytes(0x3A));

    @Property(tries = 3000)
    void decodesArbitraryBytesAsTheStandardDoes(@ForAll("byteStrings") byte[] input) {
        assertThat(Utf8.decode(input, 0, input.length)).isEqualTo(whatwgDecode(input));
    }

    @Property(tries = 1000)
    void decodesValidUtf8AsTheJdkDoes(@ForAll String text) {
        byte[] utf8 = text.getBytes(UTF_8); // the JDK writes '?' for an unpaired surrogate: still valid
        assertThat(Utf8.decode(utf8, 0, utf8.length)).isEqualTo(new String(utf8, UTF_8));
    }

    @Property(tries = 1000)
    void decodesOnlyTheGivenRange(@ForAll("byteStrings") byte[] prefix, @ForAll("byteStrings") byte[] middle,
                                  @ForAll("byteStrings") byte[] suffix) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(prefix);
        all.writeBytes(middle);
        all.writeBytes(suffix);

        assertThat(Utf8.decode(all.toByteArray(), prefix.length, prefix.length + middle.length))
                .isEqualTo(whatwgDecode(middle));
    }

    @Example
    void encodedSurrogateIsThreeReplacementCharacters() {
        // the case where the JDK's decoder and the standard disagree
        assertThat(Utf8.decode(bytes(0xED, 0xA0, 0x80), 0, 3)).isEqualTo("\uFFFD\uFFFD\uFFFD");
    }

    @Example
    void literalReplacementCharacterInValidInputIsKept() {
        byte[] input = "a\uFFFDb".getBytes(UTF_8);
        assertThat(Utf8.decode(input, 0, input.length)).isEqualTo("a\uFFFDb");
    }

    @Provide
    Arbitrary<byte[]> byteStrings() {
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.of(PIECES),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(4),
                Arbitraries.strings().ofMaxLength(12).map(s -> s.getBytes(UTF_8)));
        return piece.list().ofMaxSize(12).map(pieces -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pieces.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    /** WHATWG Encoding §4.1 "UTF-8 decoder", step by step, with error mode "replacement". */
    private static String whatwgDecode(byte[] input) {
        StringBuilder out = new StringBuilder();
        int codePoint = 0;
        int bytesSeen = 0;
        int bytesNeeded = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int i = 0;
        while (i < input.length) {
            int b = input[i] & 0xFF;
            if (bytesNeeded == 0) {
                i++;
                if (b <= 0x7F) {
                    out.append((char) b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    bytesNeeded = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    lower = b == 0xE0 ? 0xA0 : 0x80;
                    upper = b == 0xED ? 0x9F : 0xBF;
                    bytesNeeded = 2;
                    codePoint = b & 0xF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    lower = b == 0xF0 ? 0x90 : 0x80;
                    upper = b == 0xF4 ? 0x8F : 0xBF;
                    bytesNeeded = 3;
                    codePoint = b & 0x7;
                } else {
                    out.append('\uFFFD');
                }
            } else if (b < lower || b > upper) {
                // the byte is not consumed: it is "restored to the stream" and read again
                codePoint = 0;
                bytesNeeded = 0;
                bytesSeen = 0;
                lower = 0x80;
                upper = 0xBF;
                out.append('\uFFFD');
            } else {
                i++;
                lower = 0x80;
                upper = 0xBF;
                codePoint = (codePoint << 6) | (b & 0x3F);
                if (++bytesSeen == bytesNeeded) {
                    out.appendCodePoint(codePoint);
                    codePoint = 0;
                    bytesNeeded = 0;
                    bytesSeen = 0;
                }
            }
        }
        if (bytesNeeded != 0) {
            out.append('\uFFFD'); // end of input inside a sequence
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
