package dev.herald.hub.internal.dispatch;

import dev.herald.hub.internal.topic.TopicMatcher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import java.util.Arrays;
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

    /**
     * Most live frames gathered between two flushes ({@link #offer}); past it they are written
     * (not flushed) and gathering starts again, so what a stream holds outside Netty's outbound
     * buffer, and out of sight of its backlog check, stays bounded whatever the publish rate.
     */
    static final int MAX_GATHERED = 64;
    /**
     * Most bytes gathered into one buffer: past it the gathered frames are written first, so a
     * gathered copy stays within the write buffer's low water mark.
     */
    static final int MAX_GATHERED_BYTES = 32 * 1024;
    /**
     * Largest frame gathered (copied); a larger one is written as a shared duplicate, after the
     * frames gathered before it: copying it would cost more than the outbound message it saves.
     */
    static final int MAX_GATHERED_FRAME_BYTES = 4 * 1024;

    State state = State.REPLAYING;
    /** Sequence of the last event this subscriber was offered (live dispatch dedupe) or replayed. */
    long cursor;
    long lastWriteNanos;
    long unwritableSinceNanos;
    boolean dirty;
    /**
     * Live frames offered since the last flush, each holding one reference to the shared frame;
     * allocated on the first offer, so an idle stream holds none.
     */
    private ByteBuf[] gathered;
    private int gatheredCount;
    private int gatheredBytes;

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
     * Gathers a live event's shared {@code frame} (not consumed: one more reference is taken) to be
     * written with the others of this flush interval by {@link #writeGathered}. The events a stream
     * gets between two flushes then cost one outbound message, one pipeline pass and one gathered
     * copy instead of one of each per event, and leave in one write syscall as before: per event,
     * Netty's outbound bookkeeping cost about as much as the copy of a small frame many times over.
     * A stream that is not writable takes its frames as shared duplicates instead, so a backlog
     * shares the frames' memory with every other subscriber instead of holding copies; so does a
     * frame over {@link #MAX_GATHERED_FRAME_BYTES}.
     */
    void offer(ByteBuf frame, long nowNanos) {
        int size = frame.readableBytes();
        if (!channel.isWritable() || size > MAX_GATHERED_FRAME_BYTES) {
            write(frame.retainedDuplicate(), nowNanos);
            return;
        }
        lastWriteNanos = nowNanos;
        if (gatheredCount == MAX_GATHERED || gatheredBytes + size > MAX_GATHERED_BYTES) {
            writeGathered();
        }
        if (gathered == null) {
            gathered = new ByteBuf[8];
        } else if (gatheredCount == gathered.length) {
            gathered = Arrays.copyOf(gathered, gatheredCount * 2);
        }
        gathered[gatheredCount++] = frame.retain();
        gatheredBytes += size;
    }

    /**
     * Hands the gathered frames to the channel as one buffer (the frame itself when there is one),
     * without flushing. Runs before any other write, so frames keep their order on the wire.
     */
    void writeGathered() {
        int n = gatheredCount;
        if (n == 0) {
            return;
        }
        ByteBuf out;
        if (n == 1) {
            out = gathered[0].duplicate(); // carries the reference taken by offer
        } else {
            out = channel.alloc().directBuffer(gatheredBytes);
            for (int i = 0; i < n; i++) {
                ByteBuf f = gathered[i];
                out.writeBytes(f, f.readerIndex(), f.readableBytes());
                f.release();
            }
        }
        clearGathered();
        channel.write(http2 ? new DefaultHttp2DataFrame(out) : out, channel.voidPromise());
    }

    /** Gives back the gathered frames unwritten: the stream is closed, so nobody will read them. */
    void releaseGathered() {
        for (int i = 0; i < gatheredCount; i++) {
            gathered[i].release();
        }
        clearGathered();
    }

    private void clearGathered() {
        if (gatheredCount == 0) {
            return; // nothing gathered yet: the array may not even exist
        }
        Arrays.fill(gathered, 0, gatheredCount, null);
        gatheredCount = 0;
        gatheredBytes = 0;
    }

    /** How many live frames wait for the next {@link #writeGathered}. */
    int gatheredCount() {
        return gatheredCount;
    }

    /** Writes the gathered frames and flushes the stream. */
    void flush() {
        writeGathered();
        channel.flush();
    }

    /**
     * Writes without flushing; the frame is consumed (released by the transport once written). The
     * caller arranges the flush (the dispatcher flushes each touched stream once per batch).
     */
    void write(ByteBuf frame, long nowNanos) {
        writeGathered();
        channel.write(http2 ? new DefaultHttp2DataFrame(frame) : frame, channel.voidPromise());
        lastWriteNanos = nowNanos;
    }

    /** Flushes, writing an empty marker whose future completes once everything before it is written. */
    ChannelFuture flushWithMarker() {
        writeGathered();
        return channel.writeAndFlush(http2 ? new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER) : Unpooled.EMPTY_BUFFER);
    }

    /** Writes the stream's last bytes and flushes (an HTTP/2 stream is ended with them). */
    ChannelFuture writeLast(ByteBuf frame) {
        writeGathered();
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
