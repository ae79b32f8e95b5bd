package dev.herald.hub.internal.dispatch;

import dev.herald.hub.internal.topic.TopicMatcher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import java.util.List;

/**
 * One open event stream: its matchers, its access rights and its delivery state. All mutable
 * state is confined to the channel's event loop (the {@link LoopDispatcher} that owns it), so it
 * needs no synchronisation.
 *
 * <p>Not thread-safe: use only on the owning event loop.
 */
public final class Subscriber {

    enum State { REPLAYING, LIVE, CLOSED }

    final Channel channel;
    final boolean http2;
    final List<TopicMatcher> matchers;
    final SubscriberAccess access;
    /** Live delivery with conflation and a rate cap, or {@code null} for the plain path. */
    final Conflation conflation;

    State state = State.REPLAYING;
    /** Sequence of the last event this subscriber was offered (live dispatch dedupe) or replayed. */
    long cursor;
    long lastWriteNanos;
    long unwritableSinceNanos;
    boolean dirty;

    /**
     * @param channel the stream's channel: the connection for HTTP/1.1 (with the HTTP codec
     *        already removed, so frames go out as raw bytes), or the HTTP/2 stream channel
     */
    public Subscriber(Channel channel, boolean http2, List<TopicMatcher> matchers, SubscriberAccess access) {
        this(channel, http2, matchers, access, null);
    }

    /** @param conflation what a conflating subscriber asked for, or {@code null} for plain delivery */
    public Subscriber(Channel channel, boolean http2, List<TopicMatcher> matchers, SubscriberAccess access,
                      ConflationOptions conflation) {
        this.channel = channel;
        this.http2 = http2;
        this.matchers = List.copyOf(matchers);
        this.access = access;
        this.conflation = conflation == null ? null : new Conflation(this, conflation);
    }

    public Channel channel() {
        return channel;
    }

    public List<TopicMatcher> matchers() {
        return matchers;
    }

    boolean selects(List<String> topics) {
        for (TopicMatcher m : matchers) {
            if (m.isWildcard()) {
                return true;
            }
            for (String topic : topics) {
                if (m.matches(topic)) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean mayReceive(boolean isPrivate, List<String> topics) {
        return !isPrivate || access.canReceivePrivate(topics);
    }

    /**
     * Writes without flushing; the frame is consumed (released by the transport once written). The
     * caller arranges the flush (the dispatcher flushes each touched stream once per batch).
     */
    void write(ByteBuf frame, long nowNanos) {
        channel.write(http2 ? new DefaultHttp2DataFrame(frame) : frame, channel.voidPromise());
        lastWriteNanos = nowNanos;
    }

    /** Flushes, writing an empty marker whose future completes once everything before it is written. */
    ChannelFuture flushWithMarker() {
        return channel.writeAndFlush(http2 ? new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER) : Unpooled.EMPTY_BUFFER);
    }

    /** Writes the stream's last bytes and flushes (an HTTP/2 stream is ended with them). */
    ChannelFuture writeLast(ByteBuf frame) {
        return channel.writeAndFlush(http2 ? new DefaultHttp2DataFrame(frame, true) : frame);
    }

    /**
     * How far the stream's queued bytes are past its low water mark: 0 while the channel is
     * writable. Works for HTTP/1.1 connections and HTTP/2 stream channels alike.
     */
    long backlogBytes() {
        return channel.isWritable() ? 0 : channel.bytesBeforeWritable();
    }
}
