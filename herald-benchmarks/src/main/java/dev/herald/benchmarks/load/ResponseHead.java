package dev.herald.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the status line and header section of an HTTP/1.1 response incrementally, as a subscriber
 * needs before the event stream starts: the status code and whether the body is chunked. The
 * bytes are held only until the blank line that ends the headers.
 *
 * <p>Not thread-safe: one per connection, fed by its event loop.
 */
final class ResponseHead {

    /** Larger header sections are refused. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private byte[] buf = new byte[512];
    private int length;
    private int status = -1;
    private boolean chunked;

    /**
     * Consumes bytes of the response until the header section is complete.
     *
     * @return how many bytes of {@code b[off, off + len)} belong to the head when it completed in
     *         this call (the rest is body), or {@code -1} when more bytes are needed
     * @throws IllegalStateException when the head is malformed or too large
     */
    int feed(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (length == buf.length) {
                if (length >= MAX_HEAD_BYTES) {
                    throw new IllegalStateException("response header section larger than " + MAX_HEAD_BYTES + " bytes");
                }
                buf = java.util.Arrays.copyOf(buf, Math.min(MAX_HEAD_BYTES, length * 2));
            }
            buf[length++] = b[off + i];
            if (b[off + i] == '\n' && endsHead()) {
                parse();
                buf = null;
                return i + 1;
            }
        }
        return -1;
    }

    private boolean endsHead() {
        return (length >= 2 && buf[length - 2] == '\n')
                || (length >= 4 && buf[length - 2] == '\r' && buf[length - 3] == '\n' && buf[length - 4] == '\r');
    }

    private void parse() {
        String head = new String(buf, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        String statusLine = lines[0];
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IllegalStateException("not an HTTP/1.x response: " + excerpt(statusLine));
        }
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("malformed status line: " + excerpt(statusLine));
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("transfer-encoding")
                    && line.substring(colon + 1).toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
    }

    private static String excerpt(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** The status code; valid once {@link #feed} returned a count. */
    int status() {
        return status;
    }

    /** Whether the body uses chunked transfer coding; valid once {@link #feed} returned a count. */
    boolean chunked() {
        return chunked;
    }
}
