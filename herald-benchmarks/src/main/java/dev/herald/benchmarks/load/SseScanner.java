package dev.herald.benchmarks.load;

/**
 * A minimal, allocation-free {@code text/event-stream} scanner for the load generator: it splits
 * lines (LF, CRLF or CR, also when split between reads), and for each event (a block ended by a
 * blank line) that carried a {@code data} field reports the numbers found in its first data line
 * under the JSON keys {@code "t"} (the publish timestamp) and {@code "s"} (the publish sequence).
 * Other fields and comments are skipped. It keeps only the first {@value #KEPT_LINE_BYTES} bytes of
 * a line, which is where the load generator's publisher puts those keys.
 *
 * <p>This is not a conforming SSE parser (see {@code dev.herald.sse.SseParser} for that); it is
 * what a subscriber needs to count events and measure latency at a million events per second.
 *
 * <p>Not thread-safe: one scanner per connection, fed by its event loop.
 */
final class SseScanner implements ByteSink {

    /** Bytes of each line kept for inspection. */
    static final int KEPT_LINE_BYTES = 96;
    /** Reported when an event has no such key. */
    static final long ABSENT = -1;

    /** Receives the scanner's events. */
    @FunctionalInterface
    interface Listener {
        /**
         * An event with data was dispatched.
         *
         * @param t the {@code "t"} value of its first data line, or {@link #ABSENT}
         * @param s the {@code "s"} value of its first data line, or {@link #ABSENT}
         */
        void onEvent(long t, long s);
    }

    private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};

    private final Listener listener;
    private final byte[] line = new byte[KEPT_LINE_BYTES];
    private int lineLength;
    private boolean afterCr;
    private boolean hasData;
    private long t = ABSENT;
    private long s = ABSENT;

    SseScanner(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (afterCr) {
                    afterCr = false; // the LF of a CRLF: the line already ended at the CR
                } else {
                    endLine();
                }
            } else if (c == '\r') {
                afterCr = true;
                endLine();
            } else {
                afterCr = false;
                if (lineLength < KEPT_LINE_BYTES) {
                    line[lineLength] = c;
                }
                lineLength++;
            }
        }
    }

    private void endLine() {
        if (lineLength == 0) {
            if (hasData) {
                listener.onEvent(t, s);
            }
            hasData = false;
            t = ABSENT;
            s = ABSENT;
            return;
        }
        int kept = Math.min(lineLength, KEPT_LINE_BYTES);
        if (startsWith(line, kept, DATA)) {
            if (!hasData) {
                hasData = true;
                t = number(line, kept, (byte) 't');
                s = number(line, kept, (byte) 's');
            }
        }
        lineLength = 0;
    }

    private static boolean startsWith(byte[] b, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The non-negative integer after {@code "key":} in {@code b[0, len)}, or {@link #ABSENT}. */
    static long number(byte[] b, int len, byte key) {
        for (int i = 0; i + 4 <= len; i++) {
            if (b[i] == '"' && b[i + 1] == key && b[i + 2] == '"' && b[i + 3] == ':') {
                long v = 0;
                int j = i + 4;
                int start = j;
                while (j < len && b[j] >= '0' && b[j] <= '9' && j - start < 18) {
                    v = v * 10 + (b[j] - '0');
                    j++;
                }
                return j > start ? v : ABSENT;
            }
        }
        return ABSENT;
    }
}
