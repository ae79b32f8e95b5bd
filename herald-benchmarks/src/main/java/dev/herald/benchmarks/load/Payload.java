package dev.herald.benchmarks.load;

/**
 * The data of each published update: a JSON object carrying the publish time and sequence, padded
 * to a fixed size, e.g. {@code {"t":81234567890,"s":42,"p":"xxxxxxxx"}}. Subscribers read the two
 * numbers back with {@link SseScanner}.
 *
 * <p>Stateless and thread-safe.
 */
final class Payload {

    private Payload() {
    }

    /**
     * The data for publish {@code sequence} at {@code micros}, padded with {@code x} to
     * {@code size} bytes (longer when the numbers alone need more).
     */
    static String of(long micros, long sequence, int size) {
        StringBuilder b = new StringBuilder(size + 8).append("{\"t\":").append(micros).append(",\"s\":").append(sequence)
                .append(",\"p\":\"");
        int pad = size - b.length() - 2;
        for (int i = 0; i < pad; i++) {
            b.append('x');
        }
        return b.append("\"}").toString();
    }

    /** The clock of the timestamps: microseconds of {@link System#nanoTime()}, the same in every process of a host. */
    static long nowMicros() {
        return System.nanoTime() / 1000;
    }
}
