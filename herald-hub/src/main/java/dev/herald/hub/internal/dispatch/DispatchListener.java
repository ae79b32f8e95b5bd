package dev.herald.hub.internal.dispatch;

import java.util.List;

/**
 * Told of every update the hub dispatches, in the hub-wide order: called once per stored update,
 * in sequence order, by one thread at a time (the thread that hands updates to the event loops),
 * after the update is in the history and queued on every loop. Whatever a listener derives from the
 * updates it has been told of is therefore exactly the state "as of" the last id it saw, and every
 * later update can be replayed from the history with that id as {@code Last-Event-ID}.
 *
 * <p>Implementations must return quickly and never block or throw: they run on the publish path.
 * Thread-safety: called from one thread at a time; implementations that are read from other threads
 * synchronise that themselves.
 */
@FunctionalInterface
public interface DispatchListener {

    /** Ignores every update. */
    DispatchListener NONE = (sequence, id, topics, isPrivate, frame) -> { };

    /**
     * @param frame the update's encoded SSE frame; must not be modified
     */
    void dispatched(long sequence, String id, List<String> topics, boolean isPrivate, byte[] frame);
}
