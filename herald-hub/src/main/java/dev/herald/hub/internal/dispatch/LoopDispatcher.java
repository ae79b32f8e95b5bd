package dev.herald.hub.internal.dispatch;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryReader;
import dev.herald.hub.internal.topic.TopicMatcher;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.PlatformDependent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the subscribers whose channels live on one event loop. The {@link Dispatcher}
 * hands every event to every loop's queue in sequence order; the loop drains its queue in batches,
 * gathers each event's shared frame for the matching subscribers ({@link Subscriber#offer}), and
 * flushes each touched stream once per flush, so a subscriber gets all the events offered to it
 * since the last flush as one buffer, in one write.
 *
 * <p>Flush consolidation: the syscall (and the loopback or NIC work behind it) is most of the cost
 * of a delivery, and it is per write, not per byte. After a flush, the next one waits
 * {@link #FLUSH_WAIT_PER_FLUSH_TIME} times as long as that flush took, at most
 * {@link DeliveryLimits#flushDelay()}, so at high publish rates each stream's events of that
 * interval go out in one write. The wait follows the cost it saves: a loop flushing a few streams
 * waits microseconds, one flushing thousands waits up to the delay (writes take about an eighth of
 * a busy loop's time until the delay caps the wait). An event arriving after a quiet interval longer
 * than the wait is flushed at once, so low rates pay no latency for it.
 *
 * <p>Because a subscriber's registration, replay and live delivery all run on this loop, the loop's
 * {@link #lastSequence} is an exact boundary: replay covers {@code (lastEventId, lastSequence]} from
 * history and live delivery everything after, with no gap and no duplicate even while publishes race
 * with the subscription.
 *
 * <p>Thread-safe: {@link #enqueue} may be called from any thread; every other method runs on the
 * event loop.
 */
final class LoopDispatcher {

    private static final Logger log = LoggerFactory.getLogger(LoopDispatcher.class);
    /** Events drained per loop task before yielding to I/O, so one burst cannot starve reads. */
    private static final int MAX_BATCH = 256;
    /**
     * The wait before the next flush, as a multiple of the time the last one took. The wait runs from
     * the flush's start, so 8 keeps the writes to about an eighth of a loop's time while events keep
     * coming: measured with 1,000 subscribers (500 a loop) a flush takes 2 to 4 ms, so the loop
     * reaches the 20 ms default delay and gathers 20 events per write at 1,000 publishes/s; with 15
     * streams a loop it waits under a millisecond (docs/benchmarks.md).
     */
    static final int FLUSH_WAIT_PER_FLUSH_TIME = 8;

    final EventLoop loop;
    private final HistoryReader history;
    private final Executor historyReader;
    private final DeliveryLimits limits;
    private final ByteBuf keepAlive;
    private final Queue<Event> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final Runnable flushTask = this::onFlushTask;
    private final long flushDelayNanos;
    /** When {@link #flushDirty} last ran: the next flush is due {@link #flushWaitNanos} after it. */
    private long lastFlushNanos;
    /** How long after the last flush the next is due: that flush's time, scaled, at most the flush delay. */
    private long flushWaitNanos;
    private boolean flushScheduled;

    /** Matchers selecting one topic ({@link TopicMatcher#exactTopic()}), indexed by it: one hash lookup per topic of an event. */
    private final Map<String, List<Subscriber>> exact = new HashMap<>();
    /** Other matchers (URL patterns, wildcard), grouped so each distinct pattern runs once per event. */
    private final Map<String, PatternGroup> patterns = new HashMap<>();
    private final Set<Subscriber> subscribers = new LinkedHashSet<>();
    private final List<Subscriber> dirty = new ArrayList<>();
    private long lastSequence;
    private ScheduledFuture<?> heartbeatTask;
    private final Stats stats;

    private static final class PatternGroup {
        final TopicMatcher matcher;
        final List<Subscriber> subscribers = new ArrayList<>(2);

        PatternGroup(TopicMatcher matcher) {
            this.matcher = matcher;
        }
    }

    LoopDispatcher(EventLoop loop, HistoryReader history, Executor historyReader, DeliveryLimits limits,
                   ByteBuf keepAlive, long startSequence, Stats stats) {
        this.loop = loop;
        this.history = history;
        this.historyReader = historyReader;
        this.limits = limits;
        this.keepAlive = keepAlive;
        this.lastSequence = startSequence;
        this.stats = stats;
        this.flushDelayNanos = limits.flushDelay().toNanos();
        this.lastFlushNanos = loop.ticker().nanoTime() - flushDelayNanos;
    }

    void start() {
        long period = Math.max(1, limits.heartbeat().toMillis() / 2);
        heartbeatTask = loop.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Queues {@code event} for this loop; takes one reference to its frame, released after delivery. */
    void enqueue(Event event) {
        event.frame.retain();
        queue.add(event);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException stopped) {
                // the loop is shut down (the hub is closing): nobody will drain, so give the frames back
                Event e;
                while ((e = queue.poll()) != null) {
                    e.frame.release();
                }
            }
        }
    }

    private void drain() {
        drainScheduled.set(false); // first, so an enqueue racing with this drain schedules another
        long now = System.nanoTime();
        Event e;
        int n = 0;
        while ((e = queue.poll()) != null) {
            try {
                if (e.sequence > lastSequence + 1) {
                    resetLive(e, now);
                }
                if (deliver(e, now) > 0) {
                    // one clock read per update and loop, not per subscriber (see Stats#publishToWriteLatency)
                    stats.publishToWrite(System.nanoTime() - e.acceptedNanos);
                }
            } finally {
                lastSequence = e.sequence;
                e.frame.release();
            }
            if (++n == MAX_BATCH && !queue.isEmpty()) {
                if (drainScheduled.compareAndSet(false, true)) {
                    loop.execute(drainTask);
                }
                break;
            }
        }
        flushWhenDue();
    }

    private void onFlushTask() {
        flushScheduled = false;
        flushWhenDue();
    }

    /**
     * Flushes the touched streams now if the last flush is {@link #flushWaitNanos} old, else makes
     * sure a flush is scheduled for then. A drain after the due time flushes without waiting for the
     * timer (whose wake-up can be late on a busy machine); the timer then finds nothing to do.
     */
    private void flushWhenDue() {
        if (dirty.isEmpty()) {
            return;
        }
        long wait = lastFlushNanos + flushWaitNanos - loop.ticker().nanoTime();
        if (wait <= 0) {
            flushDirty();
        } else if (!flushScheduled) {
            flushScheduled = true;
            loop.schedule(flushTask, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** Writes {@code e} to its subscribers on this loop; returns how many it was written to. */
    private int deliver(Event e, long now) {
        int written = 0;
        for (String topic : e.topics) {
            List<Subscriber> subs = exact.get(topic);
            if (subs != null) {
                written += offer(subs, e, now);
            }
        }
        if (!patterns.isEmpty()) {
            for (PatternGroup g : patterns.values()) {
                if (g.matcher.isWildcard() || anyMatches(g.matcher, e.topics)) {
                    written += offer(g.subscribers, e, now);
                }
            }
        }
        return written;
    }

    /**
     * Sequences before {@code e} never reached this loop: only a shared log's feed skips any, when
     * they were gone (dropped by retention, or lost by the log) before this hub read them. Live subscribers that had not seen them
     * may have missed updates, and are told so as a replay would tell them (replaying subscribers
     * find the gap in the history themselves).
     */
    private void resetLive(Event e, long now) {
        for (Subscriber s : subscribers) {
            if (s.state == Subscriber.State.LIVE && s.cursor < e.sequence - 1) {
                s.write(ResetEvent.frame(null, e.id), now);
                markDirty(s);
                stats.reset();
            }
        }
    }

    private static boolean anyMatches(TopicMatcher m, List<String> topics) {
        for (String t : topics) {
            if (m.matches(t)) {
                return true;
            }
        }
        return false;
    }

    private int offer(List<Subscriber> subs, Event e, long now) {
        int written = 0;
        for (int i = 0, n = subs.size(); i < n; i++) {
            Subscriber s = subs.get(i);
            if (s.state != Subscriber.State.LIVE || s.cursor >= e.sequence) {
                continue; // replaying (it will read this event from history), or already offered
            }
            s.cursor = e.sequence;
            if (!s.mayReceive(e.isPrivate, e.topics)) {
                continue;
            }
            if (s.conflation != null) {
                offerConflated(s, e, now);
                continue;
            }
            if (isStalled(s, now)) {
                continue;
            }
            s.offer(e.frame, now);
            markDirty(s);
            stats.delivered();
            written++;
        }
        return written;
    }

    private void offerConflated(Subscriber s, Event e, long now) {
        if (s.conflation.offer(e.sequence, e.conflationKey, e.frame, now)) {
            markDirty(s);
        }
        isStalled(s, now);
    }

    /** Disconnects a subscriber that stopped reading; true when it was (or already is) closed. */
    private boolean isStalled(Subscriber s, long now) {
        if (s.conflation != null) {
            return disconnectIfHoldingTooMuch(s);
        }
        if (s.channel.isWritable()) {
            s.unwritableSinceNanos = 0;
            return false;
        }
        if (s.unwritableSinceNanos == 0) {
            s.unwritableSinceNanos = now;
        }
        long backlog = s.backlogBytes();
        long stalled = now - s.unwritableSinceNanos;
        if (backlog > limits.maxBacklogBytes() || stalled > limits.maxStallTime().toNanos()) {
            // Its position is safe: the client reconnects with Last-Event-ID and replays from history.
            log.info("disconnecting slow subscriber {} (backlog {} bytes, not reading for {} ms)",
                    s.channel.remoteAddress(), backlog, TimeUnit.NANOSECONDS.toMillis(stalled));
            disconnectSlow(s);
            return true;
        }
        return false;
    }

    /**
     * A conflating subscriber may stay slow for as long as what it holds is bounded: its keyed updates
     * are (by the key limit); its updates without a key and its connection's backlog must stay within
     * the backlog limit, like any subscriber's. Disconnects it otherwise; true when it was (or is) closed.
     */
    private boolean disconnectIfHoldingTooMuch(Subscriber s) {
        long held = s.conflation.heldUnkeyedBytes() + s.backlogBytes();
        if (held <= limits.maxBacklogBytes()) {
            return s.state == Subscriber.State.CLOSED;
        }
        log.info("disconnecting slow conflating subscriber {} ({} bytes held without a key or queued)",
                s.channel.remoteAddress(), held);
        disconnectSlow(s);
        return true;
    }

    /**
     * Closes a slow subscriber. Safe while a subscriber list is being walked ({@link #offer},
     * {@link #tick}): it is marked closed at once, so it is skipped from now on, and removed from the
     * lists by a task after the walk (removing it during the walk would shift the list under it and
     * skip the next subscriber).
     */
    private void disconnectSlow(Subscriber s) {
        if (s.state == Subscriber.State.CLOSED) {
            return;
        }
        stats.slowDisconnected();
        s.state = Subscriber.State.CLOSED;
        loop.execute(() -> {
            unsubscribe(s);
            s.channel.close();
        });
    }

    private void markDirty(Subscriber s) {
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    private void flushDirty() {
        if (dirty.isEmpty()) {
            return; // (a heartbeat tick with nothing to send) a flush of nothing would reset the wait
        }
        long start = loop.ticker().nanoTime(); // the loop's clock, the one its scheduled tasks follow
        lastFlushNanos = start;
        for (int i = 0, n = dirty.size(); i < n; i++) {
            Subscriber s = dirty.get(i);
            s.dirty = false;
            if (s.state != Subscriber.State.CLOSED) {
                s.flush();
            }
        }
        dirty.clear();
        long took = loop.ticker().nanoTime() - start;
        flushWaitNanos = Math.min(flushDelayNanos, took * FLUSH_WAIT_PER_FLUSH_TIME);
    }

    /**
     * Registers {@code s} and starts its stream: {@code preamble} (may be null) is written first, then
     * the history after {@code replayAfter} ({@code -1} for none), then live events.
     *
     * @param liveAfter without replay, the last sequence handed to the loops when the stream was
     *        opened: live delivery starts after it, so an update acknowledged before the subscription
     *        but not yet drained by this loop is not delivered to it (whether it was depended on the
     *        loop's queue, not on the order of the requests)
     */
    void subscribe(Subscriber s, long replayAfter, ByteBuf preamble, long liveAfter) {
        assert loop.inEventLoop();
        subscribers.add(s);
        for (TopicMatcher m : s.matchers) {
            stats.matcher(m, 1);
            String topic = m.exactTopic();
            if (topic != null) {
                exact.computeIfAbsent(topic, k -> new ArrayList<>(2)).add(s);
            } else {
                patterns.computeIfAbsent(m.type() + ' ' + m.value(), k -> new PatternGroup(m)).subscribers.add(s);
            }
        }
        s.channel.closeFuture().addListener((ChannelFutureListener) f -> {
            unsubscribe(s);
            s.releaseGathered(); // what a closed stream gathered since its last flush goes nowhere
        });
        // Mercure §"Subscribers": closed no later than the token's exp, and after a maximum lifetime
        long closeIn = limits.maxStreamLifetime().toMillis();
        Instant expiry = s.access.expiresAt();
        long untilExpiry = expiry == null ? Long.MAX_VALUE : Math.max(0, expiry.toEpochMilli() - System.currentTimeMillis());
        ScheduledFuture<?> closer = untilExpiry <= closeIn
                ? loop.schedule(() -> closeExpired(s, expiry), untilExpiry, TimeUnit.MILLISECONDS)
                : loop.schedule(() -> close(s), closeIn, TimeUnit.MILLISECONDS);
        s.channel.closeFuture().addListener(f -> closer.cancel(false));
        if (s.conflation != null) {
            s.conflation.start(stats);
        }
        long now = System.nanoTime();
        s.lastWriteNanos = now;
        if (preamble != null) {
            s.write(preamble, now);
        }
        stats.subscribed();
        if (replayAfter < 0) {
            s.cursor = liveAfter;
            goLive(s);
        } else {
            s.cursor = replayAfter;
            stats.replayed();
            continueReplay(s);
        }
    }

    private void goLive(Subscriber s) {
        // the cursor may be ahead when the requested id was found in history before this loop drained it
        s.cursor = Math.max(s.cursor, lastSequence);
        s.state = Subscriber.State.LIVE;
        s.flush();
    }

    private void continueReplay(Subscriber s) {
        if (s.state == Subscriber.State.CLOSED) {
            return;
        }
        long upTo = lastSequence;
        if (s.cursor >= upTo) {
            goLive(s);
            return;
        }
        long after = s.cursor;
        if (history.isBlocking()) {
            historyReader.execute(() -> {
                List<HistoryEntry> page;
                try {
                    page = history.read(after, upTo, limits.replayPageSize());
                } catch (RuntimeException ex) {
                    loop.execute(() -> failReplay(s, ex));
                    return;
                }
                loop.execute(() -> onReplayPage(s, page, upTo));
            });
        } else {
            onReplayPage(s, history.read(after, upTo, limits.replayPageSize()), upTo);
        }
    }

    private void failReplay(Subscriber s, RuntimeException ex) {
        log.warn("history read failed while replaying to {}; closing its stream so it retries", s.channel.remoteAddress(), ex);
        close(s);
    }

    private void onReplayPage(Subscriber s, List<HistoryEntry> page, long upTo) {
        if (s.state == Subscriber.State.CLOSED) {
            return;
        }
        if (page.isEmpty()) {
            // (cursor, upTo] was dropped by retention while this subscriber was catching up
            s.write(ResetEvent.frame(null, null), System.nanoTime());
            stats.reset();
            s.cursor = upTo;
            continueReplay(s);
            return;
        }
        long now = System.nanoTime();
        if (page.get(0).sequence() > s.cursor + 1) {
            s.write(ResetEvent.frame(null, page.get(0).id()), now);
            stats.reset();
        }
        if (s.conflation != null) {
            replayConflated(s, page, now);
            return;
        }
        boolean wrote = false;
        for (HistoryEntry e : page) {
            s.cursor = e.sequence();
            if (s.selects(e.topics()) && s.mayReceive(e.isPrivate(), e.topics())) {
                s.write(Unpooled.wrappedBuffer(e.frame()), now);
                wrote = true;
            }
        }
        if (!wrote) {
            loop.execute(() -> continueReplay(s));
            return;
        }
        // next page once this one reached the socket: replay is paced by the subscriber's reading
        s.flushWithMarker().addListener(f -> {
            if (f.isSuccess()) {
                continueReplay(s);
            }
        });
    }

    /**
     * Replays a page to a conflating subscriber through its conflation, so a replay conflates (with
     * the keys the history kept) and obeys the rate cap like live delivery. Held updates with a key are
     * bounded by the key limit whatever the history's length, so the next page is read as soon as no
     * update without a key is held: those can only queue, so replay waits for them to be written.
     */
    private void replayConflated(Subscriber s, List<HistoryEntry> page, long now) {
        boolean wrote = false;
        for (HistoryEntry e : page) {
            s.cursor = e.sequence();
            if (s.selects(e.topics()) && s.mayReceive(e.isPrivate(), e.topics())) {
                ByteBuf frame = Unpooled.wrappedBuffer(e.frame());
                wrote |= s.conflation.offer(e.sequence(), Conflation.scope(e.topics().get(0), e.conflationKey()),
                        frame, now);
                frame.release();
            }
        }
        if (wrote) {
            s.channel.flush();
        }
        if (!isStalled(s, now)) {
            s.conflation.whenNothingUnkeyedHeld(() -> continueReplay(s));
        }
    }

    private void unsubscribe(Subscriber s) {
        if (!subscribers.remove(s)) {
            return;
        }

        s.state = Subscriber.State.CLOSED;
        if (s.conflation != null) {
            s.conflation.close();
        }
        for (TopicMatcher m : s.matchers) {
            stats.matcher(m, -1);
            String topic = m.exactTopic();
            if (topic != null) {
                List<Subscriber> list = exact.get(topic);
                if (list != null && list.remove(s) && list.isEmpty()) {
                    exact.remove(topic);
                }
            } else {
                String key = m.type() + ' ' + m.value();
                PatternGroup g = patterns.get(key);
                if (g != null && g.subscribers.remove(s) && g.subscribers.isEmpty()) {
                    patterns.remove(key);
                }
            }
        }
        stats.unsubscribed();
    }

    private void close(Subscriber s) {
        if (s.state == Subscriber.State.CLOSED) {
            return;
        }
        unsubscribe(s);
        s.channel.close();
    }

    /**
     * Ends the stream of a subscriber whose token reached its {@code exp}: a final
     * {@link TokenExpiredEvent} (no id: the client keeps its last event ID), then close.
     */
    private void closeExpired(Subscriber s, Instant expiry) {
        if (s.state == Subscriber.State.CLOSED) {
            return;
        }
        unsubscribe(s);
        s.writeLast(TokenExpiredEvent.frame(expiry)).addListener(ChannelFutureListener.CLOSE);
        if (!s.channel.isWritable()) {
            // a client that is not reading may never take the event: do not wait for it longer than a stall
            loop.schedule(() -> s.channel.close(), limits.maxStallTime().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Keep-alive comments for idle streams, and the stall check for streams nothing was sent to lately. */
    private void tick() {
        long now = System.nanoTime();
        long idle = limits.heartbeat().toNanos();
        for (Subscriber s : new ArrayList<>(subscribers)) {
            if (isStalled(s, now)) {
                continue;
            }
            if (now - s.lastWriteNanos >= idle) {
                s.write(keepAlive.retainedDuplicate(), now);
                markDirty(s);
            }
        }
        flushDirty();
    }

    /**
     * Sends {@code goodbye} to every stream and closes it (graceful shutdown). Returns the streams'
     * close futures, so shutdown can wait for the goodbyes to reach the sockets before the event
     * loops stop (a stopping loop closes its channels at once, dropping what is queued).
     */
    List<ChannelFuture> closeAll(ByteBuf goodbye) {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
        return endStreams(goodbye);
    }

    /** Ends every stream of this loop with {@code goodbye}, as {@link #closeAll} does, but goes on serving new ones. */
    List<ChannelFuture> endStreams(ByteBuf goodbye) {
        List<ChannelFuture> closed = new ArrayList<>(subscribers.size());
        for (Subscriber s : new ArrayList<>(subscribers)) {
            unsubscribe(s);
            s.writeLast(goodbye.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
            closed.add(s.channel.closeFuture());
        }
        return closed;
    }

    int subscriberCount() {
        return subscribers.size();
    }
}
