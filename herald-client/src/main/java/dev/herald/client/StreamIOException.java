package dev.herald.client;

import java.io.IOException;
import java.util.Objects;

/**
 * A network error: the connection could not be made, or broke while reading (WHATWG HTML §9.2.2,
 * processResponse step 2). The event source reconnects after its reconnection time, with backoff
 * while attempts keep failing. The {@linkplain #getCause() cause} is the underlying
 * {@link IOException}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public sealed class StreamIOException extends EventSourceException permits ReadTimeoutException {

    private static final long serialVersionUID = 1L;

    /** A network error caused by {@code cause}. */
    public StreamIOException(IOException cause) {
        this(describe(Objects.requireNonNull(cause, "cause")), cause);
    }

    StreamIOException(String message, IOException cause) {
        super(message, cause);
    }

    private static String describe(IOException cause) {
        String message = cause.getMessage();
        return "I/O error: " + (message == null ? cause.getClass().getName() : cause.getClass().getSimpleName()
                + ": " + message);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
