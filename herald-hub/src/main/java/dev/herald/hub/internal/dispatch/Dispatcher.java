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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub-wide order of updates. A publish takes the next sequence number, is appended to the
 * history, and only then is handed to every event loop's {@link LoopDispatcher}, in sequence order,
 * so that every loop sees the same order as the history and everything a loop has seen can be
 * replayed from it.
 *
 * <p>How depends on the store: a non-blocking one ({@link HistoryStore#isBlocking()} false) is
 * appended to by the publishing thread under one short lock; a blocking one by the
 * {@link HistoryWriter}'s thread, in batches, never on an event loop. Either way {@link #publish}
 * returns a future, completed once the update is stored.
 *
 * <p>Thread-safe.
 */
public final class Dispatcher {

    /** Reserved {@code Last-Event-ID} value asking for all the history kept (Mercure §"Reconciliation"). */
    public static final String EARLIEST = "earliest";

    private static final byte[] KEEP_ALIVE = ":\n".getBytes(StandardCharsets.US_ASCII);

    private final HistoryStore history;
    private final Executor historyReader;
    private final HistoryWriter writer; // null for a non-blocking store
    private final Map<EventExecutor, LoopDispatcher> loops = new IdentityHashMap<>();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final ByteBuf keepAlive;
    private final Stats stats;
    private long sequence;

    public Dispatcher(EventLoopGroup group, HistoryStore history, Executor historyReader, DeliveryLimits limits,
                      Stats stats) {
        this.history = history;
        this.historyReader = historyReader;
        this.stats = stats;
        this.sequence = history.lastSequence();
        this.keepAlive = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(KEEP_ALIVE.length).writeBytes(KEEP_ALIVE).asReadOnly());
        for (EventExecutor executor : group) {
            loops.put(executor, new LoopDispatcher((EventLoop) executor, history, historyReader, limits, keepAlive,
                    sequence, stats));
        }
        this.writer = history.isBlocking() ? new HistoryWriter(history, this) : null;
    }

    public void start() {
        loops.values().forEach(LoopDispatcher::start);
        if (writer != null) {
            writer.start();
        }
    }

    /**
     * Stores what is still queued for a blocking history and stops its writer, waiting up to
     * {@code timeout}; later publishes fail with {@link IllegalStateException}.
     */
    public void stopPublishing(Duration timeout) {
        if (writer != null) {
            writer.close(timeout);
        }
    }

    /**
     * Publishes an encoded update. The future completes with its sequence number once the update is
     * in the history and queued on every loop, or fails with
     * {@link dev.herald.hub.HistoryUnavailableException} (nothing was dispatched) or
     * {@link IllegalStateException} (stopped). It may complete on the calling thread (non-blocking
     * store) or on the history writer's thread: dependents must not block.
     */
    public CompletableFuture<Long> publish(String id, List<String> topics, boolean isPrivate, byte[] frame) {
        long now = System.currentTimeMillis();
        long accepted = System.nanoTime();
        if (writer != null) {
            return writer.submit(new HistoryWriter.Pending(id, topics, isPrivate, frame, now, accepted));
        }
        publishLock.lock();
        try {
            long seq = sequence + 1;
            history.append(HistoryEntry.of(seq, id, topics, isPrivate, now, frame));
            sequence = seq;
            deliver(seq, id, topics, isPrivate, frame, accepted);
            return CompletableFuture.completedFuture(seq);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            publishLock.unlock();
        }
    }

    /**
     * Hands a stored update to every loop. Called in sequence order by one thread at a time: the
     * publishing thread under {@link #publishLock}, or the history writer.
     */
    void deliver(long seq, String id, List<String> topics, boolean isPrivate, byte[] frame, long acceptedNanos) {
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(frame.length).writeBytes(frame);
        try {
            Event event = new Event(seq, id, topics, isPrivate, direct, acceptedNanos);
            for (LoopDispatcher loop : loops.values()) {
                loop.enqueue(event);
            }
            stats.published();
        } finally {
            direct.release(); // the loops hold their own references now
        }
    }

    /**
     * {@link #resolve}, off the event loop when the history may block: the future completes on a
     * history reader thread then, and fails with the store's exception if it cannot be read.
     */
    public CompletableFuture<ReplayStart> resolveAsync(String lastEventId) {
        if (lastEventId == null || !history.isBlocking()) {
            try {
                return CompletableFuture.completedFuture(resolve(lastEventId));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(() -> resolve(lastEventId), historyReader);
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
        // last first: an update stored between the two reads then lies after the returned sequence
        // and is replayed or delivered live, never skipped
        long last = history.lastSequence();
        long oldest = history.oldestSequence();
        return oldest > 0 ? oldest - 1 : last;
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

    /**
     * Why the hub is not ready ({@code /readyz}): the history refusing updates (disk full, I/O
     * errors) since its last failed commit, or {@code null}.
     */
    public String historyNotReadyReason() {
        return writer == null ? null : writer.failureReason();
    }

    /** The last sequence number stored and handed to the loops. */
    public long lastSequence() {
        if (writer != null) {
            return writer.lastSequence();
        }
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
