package dev.herald.hub.internal.dispatch;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryReader;
import dev.herald.hub.HistoryStore;
import dev.herald.hub.UpdateTransport;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>With an {@link UpdateTransport} (several hubs acting as one) the order is the transport's: a
 * publish is only appended to the shared log, and every update, this hub's own included, reaches
 * the loops when the transport's feed reads it back, in the log's order. The feed is the one thread
 * handing updates to the loops, so the invariants above hold unchanged, with the shared log as the
 * history.
 *
 * <p>Thread-safe.
 */
public final class Dispatcher {

    /** Reserved {@code Last-Event-ID} value asking for all the history kept (Mercure §"Reconciliation"). */
    public static final String EARLIEST = "earliest";

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final byte[] KEEP_ALIVE = ":\n".getBytes(StandardCharsets.US_ASCII);

    private final HistoryStore store; // null with a transport
    private final HistoryReader history; // the store, or the transport's shared history
    private final UpdateTransport transport; // null unless the order comes from a shared log
    private final Executor historyReader;
    private final HistoryWriter writer; // null for a non-blocking store
    private final Map<EventExecutor, LoopDispatcher> loops = new IdentityHashMap<>();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final ByteBuf keepAliveBuffer;
    private final ByteBuf keepAlive;
    private final Stats stats;
    private final DispatchListener listener;
    private long sequence; // under publishLock, or written by the transport's feed thread only
    /**
     * The last sequence handed to the loops: a stream opened without a last event ID starts after
     * it, so an update queued on the loops before the stream was registered never reaches it (the
     * loop's own last drained sequence may lag behind it). With a transport, also the last sequence
     * the feed delivered.
     */
    private volatile long handedSequence;

    /** @param listener told of every stored update in sequence order (see {@link DispatchListener}) */
    public Dispatcher(EventLoopGroup group, HistoryStore history, Executor historyReader, DeliveryLimits limits,
                      Stats stats, DispatchListener listener) {
        this(group, history, history, null, history.lastSequence(), historyReader, limits, stats, listener);
    }

    /**
     * A dispatcher fed by {@code transport}: {@code startSequence} is what {@link UpdateTransport#connect}
     * returned, and the feed (started by {@link #start}) delivers what follows it.
     */
    public Dispatcher(EventLoopGroup group, UpdateTransport transport, long startSequence, Executor historyReader,
                      DeliveryLimits limits, Stats stats, DispatchListener listener) {
        this(group, null, transport.history(), transport, startSequence, historyReader, limits, stats, listener);
    }

    private Dispatcher(EventLoopGroup group, HistoryStore store, HistoryReader history, UpdateTransport transport,
                       long startSequence, Executor historyReader, DeliveryLimits limits, Stats stats,
                       DispatchListener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        this.store = store;
        this.history = history;
        this.transport = transport;
        this.historyReader = historyReader;
        this.stats = stats;
        this.sequence = startSequence;
        this.handedSequence = startSequence;
        this.keepAliveBuffer = Unpooled.directBuffer(KEEP_ALIVE.length).writeBytes(KEEP_ALIVE);
        // shared by every stream's heartbeat: a view the writes cannot release, the buffer itself by close()
        this.keepAlive = Unpooled.unreleasableBuffer(keepAliveBuffer.asReadOnly());
        for (EventExecutor executor : group) {
            loops.put(executor, new LoopDispatcher((EventLoop) executor, history, historyReader, limits, keepAlive,
                    sequence, stats));
        }
        this.writer = store != null && store.isBlocking() ? new HistoryWriter(store, this) : null;
    }

    public void start() {
        loops.values().forEach(LoopDispatcher::start);
        if (writer != null) {
            writer.start();
        }
        if (transport != null) {
            transport.startFeed(sequence, this::onFeed);
        }
    }

    /**
     * An entry read back from the shared log, on the transport's feed thread. An entry not after the
     * last one would break every loop's order: the transport broke its contract, and it is dropped.
     */
    private void onFeed(HistoryEntry e) {
        long seq = e.sequence();
        if (seq <= sequence) {
            log.warn("transport fed sequence {} after {}: ignored (entries must come in increasing order)", seq,
                    sequence);
            return;
        }
        // accepted on whichever node took the publish: its wall clock stamped the entry, so the
        // publish-to-write latency of a cluster counts the trip through the log (and any clock skew)
        long sinceAccepted = TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - e.timestampMillis()));
        deliver(seq, e.id(), e.topics(), e.isPrivate(), e.frame(), e.conflationKey(), System.nanoTime() - sinceAccepted);
        sequence = seq;
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
     *
     * <p>With a transport the future completes once the shared log accepted the update; it reaches the
     * loops, here and on every other hub, when the feed reads it back.
     */
    public CompletableFuture<Long> publish(String id, List<String> topics, boolean isPrivate, byte[] frame) {
        return publish(id, topics, isPrivate, frame, null);
    }

    /**
     * {@link #publish(String, List, boolean, byte[])} for an update with a conflation key (or
     * {@code null}), which conflating subscribers use to replace a pending value with a newer one.
     */
    public CompletableFuture<Long> publish(String id, List<String> topics, boolean isPrivate, byte[] frame,
                                           String conflationKey) {
        long now = System.currentTimeMillis();
        long accepted = System.nanoTime();
        if (transport != null) {
            try {
                return transport.append(id, topics, isPrivate, now, frame, conflationKey);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (writer != null) {
            return writer.submit(new HistoryWriter.Pending(id, topics, isPrivate, frame, now, conflationKey, accepted));
        }
        publishLock.lock();
        try {
            long seq = sequence + 1;
            store.append(HistoryEntry.of(seq, id, topics, isPrivate, now, frame, conflationKey));
            sequence = seq;
            deliver(seq, id, topics, isPrivate, frame, conflationKey, accepted);
            return CompletableFuture.completedFuture(seq);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            publishLock.unlock();
        }
    }

    /**
     * Hands a stored update to every loop. Called in sequence order by one thread at a time: the
     * publishing thread under {@link #publishLock}, the history writer, or the transport's feed.
     */
    void deliver(long seq, String id, List<String> topics, boolean isPrivate, byte[] frame, String conflationKey,
                 long acceptedNanos) {
        ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(frame.length).writeBytes(frame);
        try {
            Event event = new Event(seq, id, topics, isPrivate, direct, Conflation.scope(topics.get(0), conflationKey),
                    acceptedNanos);
            for (LoopDispatcher loop : loops.values()) {
                loop.enqueue(event);
            }
            handedSequence = seq;
            stats.published();
        } finally {
            direct.release(); // the loops hold their own references now
        }
        listener.dispatched(seq, id, topics, isPrivate, frame);
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
        loop.subscribe(s, start.replayAfter(), start.preamble(), handedSequence);
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

    /**
     * Ends every stream open now with {@code goodbye} and closes it, without waiting, the hub going on
     * serving new ones: the clients reconnect (after the cluster took this hub for dead, for one).
     */
    public void endStreams(byte[] goodbye) {
        for (LoopDispatcher loop : loops.values()) {
            ByteBuf buf = Unpooled.wrappedBuffer(goodbye);
            try {
                loop.loop.execute(() -> {
                    try {
                        loop.endStreams(buf);
                    } finally {
                        buf.release();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                buf.release();
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /**
     * Why the hub is not ready ({@code /readyz}): the history refusing updates (disk full, I/O
     * errors) from a failed commit until a commit or a write probe succeeds, the transport
     * unreachable, or {@code null}.
     */
    public String historyNotReadyReason() {
        if (transport != null) {
            return transport.status().notReadyReason();
        }
        return writer == null ? null : writer.failureReason();
    }

    /** The last sequence number stored and handed to the loops. */
    public long lastSequence() {
        if (transport != null) {
            return handedSequence; // only the feed hands updates over, right after it reads them
        }
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

    /** Releases the dispatcher's own buffers. Call once the event loops have stopped. */
    public void close() {
        if (keepAliveBuffer.refCnt() > 0) {
            keepAliveBuffer.release();
        }
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
