package dev.herald.client;

import dev.herald.sse.SseEvent;

/**
 * Receives the events of one type, like a listener added with {@code addEventListener(type, ...)} in a
 * browser. Register it with {@link EventSource#addEventListener(String, EventHandler)}.
 *
 * <p>Called on the event source's callback thread, never concurrently for one {@link EventSource};
 * an implementation shared between event sources must be thread-safe.
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * An event of the type this handler was registered for. {@link SseEvent#id()} is the last event ID
     * in effect (the {@code lastEventId} of the standard's {@code MessageEvent}), never {@code null}.
     */
    void onEvent(EventSource source, SseEvent event);
}
