package dev.herald.client;

import dev.herald.sse.SseEvent;
import java.net.http.HttpResponse;

/**
 * Receives what happens to an {@link EventSource}: the callbacks of the browser's {@code EventSource}
 * ({@code open}, {@code message}, {@code error}) plus comments and the final close.
 *
 * <p>Every method has an empty default, so implement only what you need. Callbacks of one event source
 * run one at a time, in order, on a thread of its callback executor (never on the HTTP client's
 * selector thread); an implementation shared between event sources must be thread-safe. While a
 * callback runs, the event source reads no further bytes from the network, so a slow listener slows
 * the server down instead of making the client buffer without bound. A callback may call
 * {@link EventSource#close()}; no callback follows it. An exception thrown by a callback is logged and
 * otherwise ignored.
 */
public interface EventSourceListener {

    /**
     * The connection was announced (§9.2.3): a {@code 200} response with a {@code text/event-stream}
     * content type arrived, and the state is now {@link ReadyState#OPEN}. Called as soon as the response
     * headers arrive, before any body byte; called again after every successful reconnect.
     *
     * @param response the status, headers and HTTP version of the response
     */
    default void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
    }

    /**
     * An event was dispatched (§9.2.6): a blank line ended a block with at least one {@code data} field.
     * Called for every event, whatever its {@linkplain SseEvent#type() type}, before the handlers added
     * with {@link EventSource#addEventListener(String, EventHandler)} for that type.
     * {@link SseEvent#id()} is the last event ID in effect, never {@code null}.
     */
    default void onEvent(EventSource source, SseEvent event) {
    }

    /** A comment line arrived: the text after the colon, as sent (a leading space is not stripped). */
    default void onComment(EventSource source, String comment) {
    }

    /**
     * The connection was lost or refused. {@link EventSource#readyState()} tells what happens next:
     * {@link ReadyState#CONNECTING} means the client will reconnect after its reconnection time
     * (§9.2.3 "reestablish the connection"); {@link ReadyState#CLOSED} means it failed and will not
     * (§9.2.3 "fail the connection"), and {@link #onClosed(EventSource)} follows.
     *
     * @param error what went wrong; its subclass tells the kind
     */
    default void onError(EventSource source, EventSourceException error) {
    }

    /**
     * The event source failed and is now {@link ReadyState#CLOSED} for good: called once, right after
     * the {@link #onError(EventSource, EventSourceException)} that reported the failure. Not called
     * after {@link EventSource#close()}, which is followed by no callback at all.
     */
    default void onClosed(EventSource source) {
    }
}
