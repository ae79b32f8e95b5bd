package dev.herald.hub.internal.dispatch;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub-wide order of updates. A publish takes the next sequence number, is appended to the
 * history, and is handed to every event loop's {@link LoopDispatcher}, all under one short lock so
 * that every loop sees the same order as the history.
 *
 * <p>Thread-safe.
 */
public final class Dispatcher {

    /** Reserved {@code Last-Event-ID} value asking for all the history kept (Mercure §"Reconciliation"). */
    public static final String EARLIEST = "earliest";

    private static final byte[] KEEP_ALIVE = ":\n".getBytes(StandardCharsets.US_ASCII);

    private final HistoryStore history;
    private final Map<EventExecutor, LoopDispatcher> loops = new IdentityHashMap<>();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final ByteBuf keepAlive;
    private final Stats stats;
    private long sequence;

    public Dispatcher(EventLoopGroup group, HistoryStore history, Executor historyReader, DeliveryLimits limits,
                      Stats stats) {
        this.history = history;
        this.stats = stats;
        this.sequence = history.lastSequence();
        this.keepAlive = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(KEEP_ALIVE.length).writeBytes(KEEP_ALIVE).asReadOnly());
        for (EventExecutor executor : group) {
            loops.put(executor, new LoopDispatcher((EventLoop) executor, history, historyReader, limits, keepAlive,
                    sequence, stats));
        }
    }

    public void start() {
        loops.values().forEach(LoopDispatcher::start);
    }

    /**
     * Publishes an encoded update and returns its sequence number once it is in the history and
     * queued on every loop.
     *
     * @throws dev.herald.hub.HistoryUnavailableException if the history refused it; nothing was dispatched
     */
    public long publish(String id, List<String> topics, boolean isPrivate, byte[] frame) {
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(frame.length).writeBytes(frame);
        long now = System.currentTimeMillis();
        publishLock.lock();
        try {
            long seq = sequence + 1;
            history.append(HistoryEntry.of(seq, id, topics, isPrivate, now, frame));
            sequence = seq;
            Event event = new Event(seq, id, topics, isPrivate, direct);
            for (LoopDispatcher loop : loops.values()) {
                loop.enqueue(event);
            }
            stats.published();
            return seq;
        } finally {
            publishLock.unlock();
            direct.release(); // the loops hold their own references now (or the append failed)
        }
    }

    /**
     * Where a subscription with this {@code Last-Event-ID} starts (Mercure §"Reconciliation").
     *
     * @param lastEventId the requested id, or {@code null} for live updates only
     */
    public ReplayStart resolve(String lastEventId) {
        if (lastEventId == null) {
            return new ReplayStart(-1, null, null);
        }
        if (EARLIEST.equals(lastEventId)) {
            return new ReplayStart(beforeOldest(), EARLIEST, null);
        }
        long seq = history.findSequence(lastEventId);
        if (seq > 0) {
            return new ReplayStart(seq, lastEventId, null);
        }
        // Unknown or dropped by retention: send all that is kept, after telling the client so.
        String earliestKept = null;
        long oldest = history.oldestSequence();
        if (oldest > 0) {
            List<HistoryEntry> first = history.read(oldest - 1, oldest, 1);
            if (!first.isEmpty()) {
                earliestKept = first.get(0).id();
            }
        }
        stats.reset();
        return new ReplayStart(beforeOldest(), EARLIEST, ResetEvent.frame(lastEventId, earliestKept));
    }

    /**
     * The sequence just before the oldest entry kept, so a replay from it starts at that entry and
     * a later gap means retention dropped entries while the subscriber caught up; with an empty
     * history, the last sequence (nothing to replay).
     */
    private long beforeOldest() {
        long oldest = history.oldestSequence();
        return oldest > 0 ? oldest - 1 : history.lastSequence();
    }

    /** Starts {@code s}'s stream. Must be called on the subscriber channel's event loop. */
    public void subscribe(Subscriber s, ReplayStart start) {
        LoopDispatcher loop = loops.get(s.channel.eventLoop());
        if (loop == null) {
            throw new IllegalStateException("channel not on a hub event loop: " + s.channel);
        }
        loop.subscribe(s, start.replayAfter(), start.preamble());
    }

    /**
     * Ends every stream with {@code goodbye} (e.g. a {@code retry} hint) and closes it, waiting up
     * to {@code timeout} for the goodbyes to be written.
     */
    public void closeAll(byte[] goodbye, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuf buf = Unpooled.wrappedBuffer(goodbye);
        List<Future<List<ChannelFuture>>> pending = new ArrayList<>();
        for (LoopDispatcher loop : loops.values()) {
            pending.add(loop.loop.submit(() -> loop.closeAll(buf)));
        }
        try {
            for (Future<List<ChannelFuture>> f : pending) {
                if (!f.awaitUninterruptibly(remainingMillis(deadline)) || !f.isSuccess()) {
                    continue;
                }
                for (ChannelFuture closed : f.getNow()) {
                    closed.awaitUninterruptibly(remainingMillis(deadline));
                }
            }
        } finally {
            buf.release();
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** The last sequence number assigned. */
    public long lastSequence() {
        publishLock.lock();
        try {
            return sequence;
        } finally {
            publishLock.unlock();
        }
    }

    public Stats stats() {
        return stats;
    }

    /**
     * Where a subscription starts.
     *
     * @param replayAfter replay history entries after this sequence (at most the sequence before the oldest kept), or
     *        {@code -1} for live updates only
     * @param responseLastEventId the {@code Mercure-Last-Event-ID} response header, or {@code null}
     *        when the request carried no last event ID
     * @param preamble a frame to send first (the reset event), or {@code null}
     */
    public record ReplayStart(long replayAfter, String responseLastEventId, ByteBuf preamble) {
    }
}
