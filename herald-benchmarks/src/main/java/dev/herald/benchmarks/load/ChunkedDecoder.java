package dev.herald.benchmarks.load;

/**
 * Decodes an HTTP/1.1 {@code Transfer-Encoding: chunked} body incrementally (RFC 9112 §7.1),
 * passing the chunk data on as slices of the input, without copying. Chunk extensions and trailer
 * fields are skipped. Nginx (and so Nchan) sends event streams chunked; Herald does not.
 *
 * <p>Not thread-safe: one decoder per connection, fed by its event loop.
 */
final class ChunkedDecoder implements ByteSink {

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, DONE }

    /** Larger chunk sizes are refused as a malformed stream. */
    static final long MAX_CHUNK_SIZE = 1L << 40;

    private final ByteSink out;
    private State state = State.SIZE;
    private long remaining;
    private int sizeDigits;
    private int trailerLineLength;

    ChunkedDecoder(ByteSink out) {
        this.out = out;
    }

    /** Whether the last chunk (size 0) and the trailer section were read. */
    boolean isDone() {
        return state == State.DONE;
    }

    /**
     * Decodes {@code b[off, off + len)}.
     *
     * @throws IllegalStateException on a malformed chunk framing
     */
    @Override
    public void write(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            byte c = b[i];
            switch (state) {
                case SIZE -> {
                    int digit = Character.digit(c, 16);
                    if (digit >= 0) {
                        remaining = remaining * 16 + digit;
                        if (++sizeDigits > 10 || remaining > MAX_CHUNK_SIZE) {
                            throw new IllegalStateException("chunk size too large");
                        }
                    } else if (sizeDigits == 0) {
                        throw new IllegalStateException("malformed chunk size (byte " + (c & 0xff) + ")");
                    } else if (c == '\r') {
                        state = State.SIZE_LF;
                    } else if (c == ';' || c == ' ' || c == '\t') {
                        state = State.EXTENSION;
                    } else if (c == '\n') {
                        startData();
                    } else {
                        throw new IllegalStateException("malformed chunk size (byte " + (c & 0xff) + ")");
                    }
                    i++;
                }
                case EXTENSION -> {
                    if (c == '\n') {
                        startData();
                    } else if (c == '\r') {
                        state = State.SIZE_LF;
                    }
                    i++;
                }
                case SIZE_LF -> {
                    if (c != '\n') {
                        throw new IllegalStateException("malformed chunk size line: CR without LF");
                    }
                    startData();
                    i++;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    out.write(b, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    state = c == '\r' ? State.DATA_LF : State.SIZE;
                    if (c == '\r') {
                        i++;
                    } else if (c == '\n') {
                        i++;
                    } else {
                        throw new IllegalStateException("chunk data not followed by CRLF");
                    }
                }
                case DATA_LF -> {
                    if (c != '\n') {
                        throw new IllegalStateException("chunk data not followed by CRLF");
                    }
                    state = State.SIZE;
                    i++;
                }
                case TRAILER -> {
                    if (c == '\n') {
                        if (trailerLineLength == 0) {
                            state = State.DONE;
                        }
                        trailerLineLength = 0;
                    } else if (c != '\r') {
                        trailerLineLength++;
                    }
                    i++;
                }
                case DONE -> i = end; // nothing may follow the last chunk on a closing stream
            }
        }
    }

    private void startData() {
        sizeDigits = 0;
        if (remaining == 0) {
            state = State.TRAILER;
            trailerLineLength = 0;
        } else {
            state = State.DATA;
        }
    }
}
