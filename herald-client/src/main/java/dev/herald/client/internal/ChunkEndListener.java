package dev.herald.client.internal;

/**
 * Implemented by a listener that wants to know when the events of one piece of the body have all been
 * dispatched, to hand them on in one batch rather than one by one (the blocking {@code EventStream}
 * does). Called on the callback thread, after the last event of a piece and before the next piece is
 * requested; blocking here holds the reading back, as blocking in any callback does.
 *
 * <p>Implementations need not be thread-safe: calls come one at a time. Not part of the public API.
 */
public interface ChunkEndListener {

    /** The events of the piece just parsed were all dispatched. */
    void onChunkEnd();
}
