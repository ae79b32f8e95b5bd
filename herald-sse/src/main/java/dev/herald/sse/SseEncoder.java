package dev.herald.sse;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes {@link SseEvent}s in the {@code text/event-stream} format (WHATWG HTML §9.2.5), UTF-8.
 *
 * <p>Layout: comment lines ({@code : text}) first, then {@code id}, {@code event}, {@code retry} and
 * one {@code data} line per line of the data (split on CR, LF and CRLF, as the parser will split
 * them), then a blank line. A comment-only event has no blank line, so it cannot end another block.
 * The value is always preceded by one space, because the parser strips exactly one: data that
 * itself starts with a space survives.
 *
 * <p>An {@code id} or {@code type} containing CR, LF or NUL is refused with an
 * {@link IllegalArgumentException} naming the field: a line break there would let the value inject
 * fields or events of its own, and a NUL makes browsers ignore the {@code id} (§9.2.6).
 *
 * <p>Use {@link #encode(SseEvent)} for bytes, or {@link #encodedLength(SseEvent)} then
 * {@link #encode(SseEvent, ByteBuffer)} to write into a buffer the caller sized (and can then share
 * between many connections). This class is stateless and thread-safe.
 */
public final class SseEncoder {

    private static final byte[] COMMENT = {':', ' '};
    private static final byte[] ID = {'i', 'd', ':', ' '};
    private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':', ' '};
    private static final byte[] RETRY = {'r', 'e', 't', 'r', 'y', ':', ' '};
    private static final byte[] DATA = {'d', 'a', 't', 'a', ':', ' '};
    private static final byte LF = '\n';

    private SseEncoder() {
    }

    /** The event's bytes. */
    public static byte[] encode(SseEvent event) {
        byte[] out = new byte[encodedLength(event)];
        encode(event, ByteBuffer.wrap(out));
        return out;
    }

    /**
     * The number of bytes {@link #encode(SseEvent, ByteBuffer)} writes for this event.
     *
     * @throws IllegalArgumentException if the event's {@code id} or {@code type} contains CR, LF or NUL
     */
    public static int encodedLength(SseEvent event) {
        checkEvent(event);
        long n = 0;
        if (event.comment() != null) {
            n += linesLength(event.comment(), COMMENT.length);
        }
        boolean fields = false;
        if (event.id() != null) {
            n += ID.length + utf8Length(event.id()) + 1;
            fields = true;
        }
        if (event.type() != null) {
            n += EVENT.length + utf8Length(event.type()) + 1;
            fields = true;
        }
        if (event.retry() != SseEvent.NO_RETRY) {
            n += RETRY.length + decimalLength(event.retry()) + 1;
            fields = true;
        }
        if (event.data() != null) {
            n += linesLength(event.data(), DATA.length);
            fields = true;
        }
        if (fields) {
            n += 1;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("event too large to encode: " + n + " bytes");
        }
        return (int) n;
    }

    /**
     * Writes the event at the buffer's position and advances it by {@link #encodedLength(SseEvent)}.
     *
     * @throws IllegalArgumentException if the event's {@code id} or {@code type} contains CR, LF or NUL
     * @throws BufferOverflowException if the buffer has fewer bytes remaining than the event needs
     */
    public static void encode(SseEvent event, ByteBuffer out) {
        checkEvent(event);
        if (event.comment() != null) {
            writeLines(out, COMMENT, event.comment());
        }
        boolean fields = false;
        if (event.id() != null) {
            writeField(out, ID, event.id());
            fields = true;
        }
        if (event.type() != null) {
            writeField(out, EVENT, event.type());
            fields = true;
        }
        if (event.retry() != SseEvent.NO_RETRY) {
            out.put(RETRY);
            writeDecimal(out, event.retry());
            out.put(LF);
            fields = true;
        }
        if (event.data() != null) {
            writeLines(out, DATA, event.data());
            fields = true;
        }
        if (fields) {
            out.put(LF);
        }
    }

    private static void checkEvent(SseEvent event) {
        if (event == null) {
            throw new NullPointerException("event");
        }
        checkSingleLine("id", event.id());
        checkSingleLine("type", event.type());
    }

    private static void checkSingleLine(String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException(field + " must not contain CR, LF or NUL (found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ")");
            }
        }
    }

    private static void writeField(ByteBuffer out, byte[] prefix, String value) {
        out.put(prefix);
        writeUtf8(out, value, 0, value.length());
        out.put(LF);
    }

    /** One {@code prefix value LF} line per line of {@code text}, splitting on CR, LF and CRLF. */
    private static void writeLines(ByteBuffer out, byte[] prefix, String text) {
        int start = 0;
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                out.put(prefix);
                writeUtf8(out, text, start, i);
                out.put(LF);
                if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        out.put(prefix);
        writeUtf8(out, text, start, len);
        out.put(LF);
    }

    private static long linesLength(String text, int prefixLength) {
        long n = 0;
        int start = 0;
        int len = text.length();
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                n += prefixLength + utf8Length(text, start, i) + 1;
                if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return n + prefixLength + utf8Length(text, start, len) + 1;
    }

    private static int utf8Length(String s) {
        return utf8Length(s, 0, s.length());
    }

    /** UTF-8 length of {@code s[from, to)}; an unpaired surrogate counts as the 3 bytes of U+FFFD. */
    private static int utf8Length(String s, int from, int to) {
        int n = to - from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    n += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    n += 2;
                }
            }
        }
        return n;
    }

    /** Writes {@code s[from, to)} as UTF-8; unpaired surrogates become U+FFFD (the UTF-8 replacement, not the "?" of {@link String#getBytes}). */
    private static void writeUtf8(ByteBuffer out, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.put((byte) (0xF0 | (cp >> 18)));
                    out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                    out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                    out.put((byte) (0x80 | (cp & 0x3F)));
                } else {
                    out.put((byte) 0xEF).put((byte) 0xBF).put((byte) 0xBD);
                }
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
    }

    private static int decimalLength(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private static void writeDecimal(ByteBuffer out, long v) {
        int len = decimalLength(v);
        int pos = out.position();
        if (out.remaining() < len) {
            throw new BufferOverflowException();
        }
        for (int i = len - 1; i >= 0; i--) {
            out.put(pos + i, (byte) ('0' + (v % 10)));
            v /= 10;
        }
        out.position(pos + len);
    }
}
