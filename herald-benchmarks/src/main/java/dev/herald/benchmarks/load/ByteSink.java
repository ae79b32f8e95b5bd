package dev.herald.benchmarks.load;

/**
 * Receives a slice of bytes. The slice is only valid during the call.
 *
 * <p>Implementations decide their own thread-safety; the load generator calls each from one event loop.
 */
@FunctionalInterface
interface ByteSink {

    /** Consumes {@code len} bytes of {@code b} starting at {@code off}. */
    void write(byte[] b, int off, int len);
}
