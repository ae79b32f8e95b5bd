package dev.herald.client;

/**
 * The state of an {@link EventSource}, as the {@code readyState} attribute of WHATWG HTML §9.2.2.
 *
 * <p>Enum constants are immutable and thread-safe.
 */
public enum ReadyState {

    /** The connection has not yet been established, or it was dropped and the client is reconnecting. */
    CONNECTING,

    /** The connection is open and events are being dispatched. */
    OPEN,

    /**
     * The connection is not open and the client is not trying to reconnect: {@link EventSource#close()}
     * was called, or the connection failed (§9.2.3 "fail the connection").
     */
    CLOSED
}
