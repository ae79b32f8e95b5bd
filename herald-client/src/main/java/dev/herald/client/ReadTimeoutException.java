package dev.herald.client;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;

/**
 * No byte arrived for the configured {@linkplain EventSourceConfig#readTimeout() read timeout} while the
 * client was waiting for one. The client closed the connection and reconnects. Servers keep a quiet
 * stream alive by sending a comment line now and then (§9.2.7).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ReadTimeoutException extends StreamIOException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /** A read timeout of {@code timeout}. */
    public ReadTimeoutException(Duration timeout) {
        super("no data received for " + Objects.requireNonNull(timeout, "timeout").toMillis() + " ms (readTimeout)",
                new InterruptedIOException("read timed out"));
        this.timeout = timeout;
    }

    /** The read timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }
}
