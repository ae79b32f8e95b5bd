package dev.herald.hub.internal.dispatch;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A published update on its way to subscribers: its place in the hub-wide order and its SSE frame,
 * encoded once into a direct buffer that every subscriber's write shares (each write takes a
 * retained duplicate, so no subscriber copies the bytes).
 *
 * <p>Immutable apart from the frame's reference count, which the {@link Dispatcher} and the
 * {@link LoopDispatcher}s manage; safe to hand between threads.
 */
final class Event {

    final long sequence;
    final String id;
    final List<String> topics;
    final boolean isPrivate;
    final ByteBuf frame;
    /** The conflation key scoped to the canonical topic ({@link Conflation#scope}), or {@code null}. */
    final String conflationKey;
    /** {@link System#nanoTime()} when the hub accepted the publish, for the publish-to-write latency. */
    final long acceptedNanos;

    Event(long sequence, String id, List<String> topics, boolean isPrivate, ByteBuf frame, String conflationKey,
          long acceptedNanos) {
        this.sequence = sequence;
        this.id = id;
        this.topics = topics;
        this.isPrivate = isPrivate;
        this.frame = frame;
        this.conflationKey = conflationKey;
        this.acceptedNanos = acceptedNanos;
    }
}
