package dev.herald.sse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental {@code text/event-stream} parser working on bytes, as WHATWG HTML §9.2.6
 * ("Interpreting an event stream") specifies.
 *
 * <p>Feed it the body of a response in chunks of any size with {@link #feed(byte[], int, int)} or
 * {@link #feed(ByteBuffer)}; it calls its {@link SseListener} for every dispatched event, valid
 * {@code retry} field and comment, in order, on the feeding thread. It handles a BOM at the very
 * start of the stream only; CR, LF and CRLF line endings, including a CRLF split between chunks;
 * UTF-8 split between chunks, with U+FFFD for invalid bytes; fields without a colon; the single
 * optional space after the colon; an {@code id} containing NUL (ignored); {@code retry} values of
 * ASCII digits only, up to {@link Long#MAX_VALUE} (larger ones are ignored).
 *
 * <p>When the stream ends call {@link #reset()}: the block that was not ended by a blank line is
 * discarded, never dispatched (§9.2.6), and the parser is ready for the next connection with the
 * last event ID kept, as a reconnecting {@code EventSource} does.
 *
 * <p>Memory is bounded: a line (without its line ending) plus the data the event holds so far may not
 * exceed {@link Builder#maxEventSize(int)} bytes, else {@link SseEventTooLargeException} is thrown,
 * whichever way the stream is chunked. Bytes are scanned in place; the parser allocates only per
 * dispatched event (its strings) and when a line spans chunks (growing its reusable line buffer).
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread at a time.
 */
public final class SseParser {

    /** Default for {@link Builder#maxEventSize(int)}: 1 MiB. */
    public static final int DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

    private static final int INITIAL_BUFFER = 256;
    /** Buffers grown beyond this are given back after the line or event that needed them. */
    private static final int RETAINED_BUFFER = 64 * 1024;
    private static final int DIRECT_COPY_CHUNK = 8192;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] TYPE_BYTES_NONE = new byte[0];
    /** Reads 8 bytes of an array as one long, so the line scan tests 8 bytes per step. */
    private static final VarHandle LONG_VIEW = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long LF_BYTES = 0x0A0A0A0A0A0A0A0AL;
    private static final long CR_BYTES = 0x0D0D0D0D0D0D0D0DL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final SseListener listener;
    private final int maxEventSize;

    /** Bytes of a line that started in an earlier chunk. */
    private byte[] line = new byte[INITIAL_BUFFER];
    private int lineLength;
    /** The data buffer as UTF-8 bytes: each {@code data} value followed by LF. */
    private byte[] data = new byte[INITIAL_BUFFER];
    private int dataLength;
    /** The event type buffer; {@code null} when empty. */
    private String type;
    /** The latest decoded type and its bytes, reused while events keep the same type. */
    private byte[] typeBytes = TYPE_BYTES_NONE;
    private String typeString;
    private String lastEventIdBuffer;
    private String lastEventId;
    private long reconnectionTime = SseEvent.NO_RETRY;
    /** The previous chunk ended with CR, so an LF starting this one belongs to that line ending. */
    private boolean skipLf;
    /** How many bytes of the BOM matched so far at the start of the stream, or -1 once past it. */
    private int bomMatched;
    private byte[] directCopy;

    private SseParser(Builder builder) {
        this.listener = builder.listener;
        this.maxEventSize = builder.maxEventSize;
        this.lastEventId = builder.lastEventId;
        this.lastEventIdBuffer = builder.lastEventId;
    }

    /** A parser with default settings reporting to {@code listener}. */
    public static SseParser create(SseListener listener) {
        return builder(listener).build();
    }

    /** A builder for a parser reporting to {@code listener}. */
    public static Builder builder(SseListener listener) {
        return new Builder(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The last event ID: the value of the last event ID buffer when the latest block was dispatched
     * (or the initial one). This is what a client sends as {@code Last-Event-ID} when it reconnects.
     */
    public String lastEventId() {
        return lastEventId;
    }

    /** The latest valid {@code retry} value in milliseconds, or {@link SseEvent#NO_RETRY}. */
    public long reconnectionTime() {
        return reconnectionTime;
    }

    /** Parses the bytes remaining in {@code buffer} and advances its position to its limit. */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int n = buffer.remaining();
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
            buffer.position(buffer.position() + n);
            return;
        }
        if (directCopy == null) {
            directCopy = new byte[DIRECT_COPY_CHUNK];
        }
        while (buffer.hasRemaining()) {
            int n = Math.min(buffer.remaining(), directCopy.length);
            buffer.get(directCopy, 0, n);
            feed(directCopy, 0, n);
        }
    }

    /** Parses {@code bytes[offset, offset + length)}. */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int i = offset;
        int end = offset + length;
        if (bomMatched >= 0) {
            i = skipBom(bytes, i, end);
        }
        if (skipLf && i < end) {
            skipLf = false;
            if (bytes[i] == '\n') {
                i++;
            }
        }
        int lineStart = i;
        while ((i = indexOfLineBreak(bytes, i, end)) < end) {
            byte b = bytes[i];
            if (lineLength > 0) {
                appendLine(bytes, lineStart, i);
                int n = lineLength;
                lineLength = 0;
                processLine(line, 0, n);
                if (line.length > RETAINED_BUFFER) {
                    line = new byte[INITIAL_BUFFER]; // give back what one long line needed
                }
            } else {
                processLine(bytes, lineStart, i);
            }
            i++;
            if (b == '\r') {
                if (i == end) {
                    skipLf = true;
                } else if (bytes[i] == '\n') {
                    i++;
                }
            }
            lineStart = i;
        }
        if (lineStart < end) {
            appendLine(bytes, lineStart, end);
        }
    }

    /**
     * The index of the first CR or LF in {@code bytes[from, to)}, or {@code to}. This scan is most of
     * the parser's work, so it tests 8 bytes at a time: in {@code w ^ LF_BYTES} an LF byte becomes 0,
     * and {@code (x - LOW_BITS) & ~x & HIGH_BITS} sets the high bit of the lowest zero byte of
     * {@code x} (bytes above it may be flagged too, through the borrow, but never below it). In
     * little-endian order the lowest flagged byte is the first in the array.
     */
    private static int indexOfLineBreak(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long w = (long) LONG_VIEW.get(bytes, i);
            long lf = w ^ LF_BYTES;
            long cr = w ^ CR_BYTES;
            long found = ((lf - LOW_BITS) & ~lf | (cr - LOW_BITS) & ~cr) & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return to;
    }

    /** Parses all of {@code bytes}. */
    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /**
     * Ends the current stream: discards the pending line and the block not ended by a blank line,
     * and prepares for a new stream (whose BOM is stripped again). The last event ID and the
     * reconnection time are kept.
     */
    public void reset() {
        lineLength = 0;
        dataLength = 0;
        type = null;
        skipLf = false;
        bomMatched = 0;
        lastEventIdBuffer = lastEventId;
        trimBuffers();
    }

    /** Consumes a BOM (or the part of it seen so far) at the start of the stream. */
    private int skipBom(byte[] bytes, int i, int end) {
        while (i < end) {
            if (bytes[i] != BOM[bomMatched]) {
                int matched = bomMatched;
                bomMatched = -1;
                if (matched > 0) {
                    feed(BOM, 0, matched); // not a BOM after all: those bytes are content
                }
                return i;
            }
            i++;
            if (++bomMatched == BOM.length) {
                bomMatched = -1;
                return i;
            }
        }
        return i;
    }

    private void appendLine(byte[] bytes, int from, int to) {
        int n = to - from;
        int needed = lineLength + n;
        checkSize((long) needed + dataLength);
        if (needed > line.length) {
            line = grow(line, lineLength, needed);
        }
        System.arraycopy(bytes, from, line, lineLength, n);
        lineLength = needed;
    }

    private void processLine(byte[] b, int start, int end) {
        if (start == end) {
            dispatch();
            return;
        }
        // The same limit appendLine() applies while a line spans chunks, applied to the whole line
        // here, so a stream is refused or accepted the same way however it is chunked.
        checkSize((long) (end - start) + dataLength);
        if (b[start] == ':') {
            listener.onComment(Utf8.decode(b, start + 1, end));
            return;
        }
        int colon = start;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int nameLength = colon - start;
        int valueStart = colon;
        if (colon < end) {
            valueStart++;
            if (valueStart < end && b[valueStart] == ' ') {
                valueStart++;
            }
        }
        switch (nameLength) {
            case 2:
                if (b[start] == 'i' && b[start + 1] == 'd') {
                    onId(b, valueStart, end);
                }
                break;
            case 4:
                if (b[start] == 'd' && b[start + 1] == 'a' && b[start + 2] == 't' && b[start + 3] == 'a') {
                    onData(b, valueStart, end);
                }
                break;
            case 5:
                if (b[start] == 'e' && b[start + 1] == 'v' && b[start + 2] == 'e' && b[start + 3] == 'n'
                        && b[start + 4] == 't') {
                    onType(b, valueStart, end);
                } else if (b[start] == 'r' && b[start + 1] == 'e' && b[start + 2] == 't' && b[start + 3] == 'r'
                        && b[start + 4] == 'y') {
                    onRetry(b, valueStart, end);
                }
                break;
            default:
                break; // unknown fields are ignored
        }
    }

    private void onData(byte[] b, int from, int to) {
        int n = to - from;
        int needed = dataLength + n + 1;
        checkSize((long) needed + lineLength);
        if (needed > data.length) {
            data = grow(data, dataLength, needed);
        }
        System.arraycopy(b, from, data, dataLength, n);
        data[needed - 1] = '\n';
        dataLength = needed;
    }

    private void onType(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0) {
            type = null; // an empty type means the default one
            return;
        }
        if (n != typeBytes.length || !regionEquals(b, from, typeBytes)) {
            typeBytes = Arrays.copyOfRange(b, from, to);
            typeString = Utf8.decode(typeBytes, 0, n);
        }
        type = typeString;
    }

    private void onId(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return; // §9.2.6: an id containing U+0000 NULL is ignored
            }
        }
        lastEventIdBuffer = Utf8.decode(b, from, to);
    }

    private void onRetry(byte[] b, int from, int to) {
        if (from == to) {
            return;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return; // §9.2.6: only ASCII digits; anything else ignores the field
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return; // beyond what a long holds: ignored rather than wrapped
            }
            value = value * 10 + digit;
        }
        reconnectionTime = value;
        listener.onRetry(value);
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        if (dataLength == 0) {
            type = null;
            return;
        }
        String eventData = Utf8.decode(data, 0, dataLength - 1);
        String eventType = type == null ? SseEvent.DEFAULT_TYPE : type;
        type = null;
        dataLength = 0;
        if (data.length > RETAINED_BUFFER) {
            data = new byte[INITIAL_BUFFER];
        }
        listener.onEvent(SseEvent.dispatched(lastEventId, eventType, eventData));
    }

    private boolean regionEquals(byte[] b, int from, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private void checkSize(long size) {
        if (size > maxEventSize) {
            throw new SseEventTooLargeException(maxEventSize);
        }
    }

    private void trimBuffers() {
        if (line.length > RETAINED_BUFFER) {
            line = new byte[INITIAL_BUFFER];
        }
        if (data.length > RETAINED_BUFFER) {
            data = new byte[INITIAL_BUFFER];
        }
    }

    private byte[] grow(byte[] buffer, int used, int needed) {
        int size = (int) Math.min(Math.max((long) buffer.length * 2, needed), (long) maxEventSize + 1);
        byte[] bigger = new byte[size];
        System.arraycopy(buffer, 0, bigger, 0, used);
        return bigger;
    }

    /** Configures an {@link SseParser}. Not thread-safe. */
    public static final class Builder {
        private final SseListener listener;
        private int maxEventSize = DEFAULT_MAX_EVENT_SIZE;
        private String lastEventId = "";

        private Builder(SseListener listener) {
            this.listener = listener;
        }

        /**
         * The most bytes one event may hold while being parsed: any one of its lines (without the line
         * ending) plus the data of its earlier {@code data} lines (each value and an LF). Default
         * {@link #DEFAULT_MAX_EVENT_SIZE}. A comment or unknown field counts too, though it is not kept:
         * a stream is refused the same way however it is chunked.
         */
        public Builder maxEventSize(int maxEventSize) {
            if (maxEventSize <= 0) {
                throw new IllegalArgumentException("maxEventSize: " + maxEventSize + " (expected: > 0)");
            }
            this.maxEventSize = maxEventSize;
            return this;
        }

        /** The last event ID at the start (from an earlier connection). Default: empty. */
        public Builder lastEventId(String lastEventId) {
            this.lastEventId = Objects.requireNonNull(lastEventId, "lastEventId");
            return this;
        }

        /** The parser. */
        public SseParser build() {
            return new SseParser(this);
        }
    }
}
