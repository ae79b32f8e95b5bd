package dev.herald.client;

import static java.util.Objects.requireNonNull;

import dev.herald.client.internal.EventSourceEngine;
import java.net.URI;

/**
 * A client for one {@code text/event-stream}, with the behaviour of the browser's {@code EventSource}
 * (WHATWG HTML §9.2) and what a service following a stream for weeks needs on top: its own read timeout,
 * backoff with jitter, bounded event size, back-pressure, request headers, method and body.
 *
 * <pre>{@code
 * EventSourceConfig config = EventSourceConfig.builder("https://example.com/events").build();
 * EventSource source = EventSource.connect(config, new EventSourceListener() {
 *     public void onEvent(EventSource source, SseEvent event) {
 *         System.out.println(event.type() + ": " + event.data());
 *     }
 * });
 * // ... later
 * source.close();
 * }</pre>
 *
 * <p>The processing model is the standard's: the state starts {@link ReadyState#CONNECTING}; a {@code 200}
 * response whose content type is {@code text/event-stream} opens the connection ({@link ReadyState#OPEN},
 * {@link EventSourceListener#onOpen}); every request carries {@code Accept: text/event-stream} and
 * {@code Cache-Control: no-cache}, and a reconnect carries {@code Last-Event-ID} when the last event ID
 * is not empty; the end of the body or a network error reconnects after the reconnection time (set by
 * the stream's {@code retry} field), reporting an error with the state back at {@code CONNECTING}; any
 * other status (a {@code 204} included) or content type fails the connection: an error with the state
 * {@link ReadyState#CLOSED}, and no more reconnects. Redirects are followed, at most
 * {@value EventSourceConfig#MAX_REDIRECTS} in a row; {@code Authorization}, {@code Cookie} and
 * {@code Proxy-Authorization} are dropped when one leads to another origin; a reconnect starts from the
 * configured URL again. See {@link EventSourceConfig} for the backoff.
 *
 * <p>Nothing here creates a thread: connections share an {@link java.net.http.HttpClient}, callbacks
 * a pool that only holds threads while they run, and timers a single thread (see
 * {@link EventSourceConfig.Builder#httpClient} and {@link EventSourceConfig.Builder#callbackExecutor} to
 * supply your own).
 *
 * <p>Thread-safe: every method may be called from any thread, callbacks included.
 */
public final class EventSource implements AutoCloseable {

    private final EventSourceEngine engine;

    private EventSource(EventSourceConfig config, EventSourceListener listener) {
        this.engine = new EventSourceEngine(this, config, listener);
    }

    /**
     * Starts following the stream that {@code config} describes and returns at once, in state
     * {@link ReadyState#CONNECTING}. Callbacks go to {@code listener}.
     */
    public static EventSource connect(EventSourceConfig config, EventSourceListener listener) {
        requireNonNull(config, "config");
        requireNonNull(listener, "listener");
        EventSource source = new EventSource(config, listener);
        source.engine.start();
        return source;
    }

    /** Starts following the stream at {@code uri} with the default configuration. */
    public static EventSource connect(URI uri, EventSourceListener listener) {
        return connect(EventSourceConfig.builder(uri).build(), listener);
    }

    /** The current state. */
    public ReadyState readyState() {
        return engine.readyState();
    }

    /** The configured URL (the {@code url} attribute): it stays the same whatever redirects were followed. */
    public URI url() {
        return engine.config().uri();
    }

    /** The configuration this event source was made with. */
    public EventSourceConfig config() {
        return engine.config();
    }

    /**
     * The last event ID: what the next reconnect sends as {@code Last-Event-ID} (nothing if empty). Read
     * from another thread than the callbacks', it may lag behind them by a moment.
     */
    public String lastEventId() {
        return engine.lastEventId();
    }

    /**
     * Adds a handler for events of {@code type} ({@code "message"} for events without an {@code event}
     * field), as {@code addEventListener} does in a browser. Handlers run after
     * {@link EventSourceListener#onEvent}, in the order they were added; adding the same handler twice
     * for a type has no effect. May be called at any time, from any thread; events dispatched after it
     * returns reach the handler.
     */
    public EventSource addEventListener(String type, EventHandler handler) {
        engine.addEventListener(requireNonNull(type, "type"), requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes a handler added with {@link #addEventListener}; does nothing if it was not there. */
    public EventSource removeEventListener(String type, EventHandler handler) {
        engine.removeEventListener(requireNonNull(type, "type"), requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Drops the current connection, if any, and connects again at once from the configured URL, with the
     * last event ID, as if the server had ended the stream but without waiting and without an
     * {@link EventSourceListener#onError} (the caller asked for it). Resets the backoff. Does nothing once
     * {@link ReadyState#CLOSED}.
     */
    public void restart() {
        engine.restart();
    }

    /**
     * Closes the event source (the standard's {@code close()}): the state becomes
     * {@link ReadyState#CLOSED}, the connection or pending reconnect is dropped at once, and no callback
     * follows; events already read but not yet dispatched are discarded (§9.2.6 dispatch step 8). Called
     * from another thread while a callback runs, it waits for that callback to return. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "EventSource{" + engine.config().uri() + ", " + readyState() + '}';
    }
}
