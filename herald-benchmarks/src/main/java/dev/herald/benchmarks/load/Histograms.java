package dev.herald.benchmarks.load;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The latency histograms' shape (microseconds, 1 us to 1 hour, 3 significant digits) and their
 * text form between worker processes (compressed, then Base64). Stateless and thread-safe.
 */
final class Histograms {

    /** The largest latency recorded; longer ones are recorded as this. */
    static final long MAX_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;
    /** Written instead of an empty histogram, to keep status lines short. */
    static final String EMPTY = "-";

    private Histograms() {
    }

    static Histogram newHistogram() {
        return new Histogram(MAX_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Records {@code micros}, clamped to 0..{@link #MAX_MICROS}. */
    static void record(Histogram h, long micros) {
        h.recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
    }

    static String encode(Histogram h) {
        if (h.getTotalCount() == 0) {
            return EMPTY;
        }
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }

    /** @throws IllegalArgumentException when {@code text} is not an encoded histogram */
    static Histogram decode(String text) {
        if (EMPTY.equals(text)) {
            return newHistogram();
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), MAX_MICROS);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }
}
