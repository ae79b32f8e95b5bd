package dev.herald.hub.internal.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;

/**
 * Delivery to a subscriber that asked for conflation, modelled on Lightstreamer's MERGE mode: live
 * updates, and the history replayed after its {@code Last-Event-ID} (with the keys the history kept).
 * While the subscriber's connection takes more and its rate allows, updates are written as they come,
 * exactly like to any other subscriber. Once its connection is congested (the channel is not
 * writable) or its rate cap is reached, updates are held in a {@link PendingUpdates} list instead,
 * where an update with a conflation key replaces the held one with the same key; updates without a
 * key are held in order, never dropped.
 *
 * <p>Held updates go out in <em>rounds</em>: when the channel is writable again (Netty's writability
 * change) or the rate allows (a timer), everything held is moved to a second, frozen list and written
 * from it in sequence order, for as long as the channel stays writable; what arrives meanwhile is held
 * for the next round. Writing in sequence order keeps event ids increasing on the wire, so the
 * client's {@code Last-Event-ID} stays an exact cursor: everything before it was either received or
 * superseded by a newer value of its key that it received. Freezing a round keeps a frequently
 * updated key from being pushed back forever by the others (each key held when a round starts is
 * written in that round), at the cost that a value may be as old as the round's start when it is
 * written; the newer one follows in the next round.
 *
 * <p>The rate cap is a token bucket of {@code burst = max(1, maxRate / 20)} tokens filled at
 * {@code maxRate} per second: an update with a key written costs one token, a round may start only
 * with a token left, and a round is admitted whole (the bucket may go into debt, which delays the next
 * round). The bucket never holds more than {@code burst} and never less than {@code 1 - K}, where
 * {@code K} is the number of updates with a key in a round — at most one per key held, so at most
 * {@code maxKeys}. So in any {@code T} seconds a subscriber gets at most {@code burst + maxRate * T}
 * keyed updates plus the size of one round ({@code K - 1}, to be exact), and every key held gets its
 * newest value at the latest one round later. The cap is thus an average, not a spacing: with many
 * keys a round is a burst of {@code K} updates at once, followed by about {@code K / maxRate} seconds
 * of silence. Updates without a key, and those held as if without one (a key beyond {@code maxKeys}),
 * are not counted: they cannot be dropped, so capping them would only queue them without bound.
 *
 * <p>Not thread-safe: every method runs on the subscriber channel's event loop.
 */
final class Conflation {

    /**
     * A conflating stream's write-buffer water marks: small, so congestion is seen once a few frames
     * wait in the hub beyond the socket's buffer, and what waits there (written before newer values
     * came) stays a few kilobytes instead of the 128 KiB a plain stream may queue.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(8 * 1024, 16 * 1024);
    /**
     * A conflating HTTP/1.1 connection's socket send buffer ({@code SO_SNDBUF}; Linux doubles it). Left
     * to autotuning, the kernel may hold megabytes for a client that reads slowly, all of it values
     * written before newer ones came; a fixed small buffer keeps that to a few frames, at the cost of a
     * throughput of about this many bytes per round trip, which conflation makes up for.
     */
    static final int SEND_BUFFER_BYTES = 16 * 1024;
    /** Seconds of rate a bucket holds, so a high rate needs a timer wake-up per batch, not per update. */
    private static final double BURST_SECONDS = 0.05;

    private final Subscriber subscriber;
    private final ConflationOptions options;
    private final double burst;
    private final PendingUpdates pending;
    private final PendingUpdates round;
    private Stats stats;
    private Ticker ticker; // the loop's clock, so tests can drive the rate with a mock one
    private double tokens;
    private long tokensAtNanos;
    private ScheduledFuture<?> timer;
    private Runnable unkeyedDrained;
    private boolean closed;

    Conflation(Subscriber subscriber, ConflationOptions options) {
        this.subscriber = subscriber;
        this.options = options;
        this.burst = Math.max(1, options.maxRate() * BURST_SECONDS);
        this.pending = new PendingUpdates(options.maxKeys());
        this.round = new PendingUpdates(options.maxKeys());
    }

    /** A key that stays within the update's canonical topic: publishers of other topics cannot replace its values. */
    static String scope(String canonicalTopic, String key) {
        // topics cannot contain control characters (Mercure §"Terminology"), so the separator is unambiguous
        return key == null ? null : canonicalTopic + '\n' + key;
    }

    /** Starts delivery: called once, when the subscriber is registered with its loop, before any replay. */
    void start(Stats stats) {
        this.stats = stats;
        this.ticker = subscriber.channel.eventLoop().ticker();
        this.tokens = burst;
        this.tokensAtNanos = ticker.nanoTime();
        subscriber.channel.config().setWriteBufferWaterMark(WATER_MARK);
        if (subscriber.channel instanceof SocketChannel) { // an HTTP/2 stream shares its connection's socket
            subscriber.channel.config().setOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES);
        }
        subscriber.channel.pipeline().addLast(new DrainOnWritable());
    }

    /**
     * Offers an update, live or replayed, in sequence order. {@code frame} is the shared frame, not
     * consumed: a held update keeps one more reference to it (no copy, no allocation), handed to the
     * transport with a duplicate when written.
     *
     * @param key the scoped conflation key ({@link #scope}), or {@code null}
     * @param nowNanos {@link System#nanoTime()}, recorded as the stream's last write
     * @return whether anything was written, so the caller flushes
     */
    boolean offer(long sequence, String key, ByteBuf frame, long nowNanos) {
        if (pending.isEmpty() && round.isEmpty() && subscriber.channel.isWritable()
                && (key == null || takeToken())) {
            write(frame.retainedDuplicate(), nowNanos);
            return true;
        }
        if (pending.add(sequence, key, frame.retain()) == PendingUpdates.Added.REPLACED) {
            stats.conflated();
        }
        return drain(nowNanos);
    }

    /**
     * Writes held updates while the channel is writable and the rate allows, without flushing;
     * arranges to be called again (writability change, timer) when it stops with updates held.
     *
     * @return whether anything was written
     */
    private boolean drain(long nowNanos) {
        boolean wrote = false;
        // a round starts only when something can be written: until then, everything stays replaceable
        while (!closed && subscriber.channel.isWritable()) {
            if (round.isEmpty()) {
                PendingUpdates.Entry head = pending.peek();
                if (head == null) {
                    break;
                }
                if (!hasToken()) {
                    if (head.key != null) {
                        scheduleTimer();
                        break;
                    }
                    // an update without a key is not held back by the rate: it goes alone, before any round
                    write(pending.poll().frame.duplicate(), nowNanos); // the duplicate carries the held reference
                    wrote = true;
                    continue;
                }
                round.takeAllFrom(pending);
            }
            PendingUpdates.Entry e = round.poll();
            if (e.key != null && options.isRateLimited()) {
                refill();
                tokens -= 1; // a round is admitted whole: its debt delays the next one
            }
            write(e.frame.duplicate(), nowNanos); // the duplicate carries the held reference
            wrote = true;
        }
        if (unkeyedDrained != null && heldUnkeyedBytes() == 0) {
            Runnable task = unkeyedDrained;
            unkeyedDrained = null;
            subscriber.channel.eventLoop().execute(task);
        }
        return wrote;
    }

    /**
     * Runs {@code task} on the loop (not within this call) once no update without a key is held: at
     * once when none is, else after the write that takes the last one. One task at a time.
     */
    void whenNothingUnkeyedHeld(Runnable task) {
        if (heldUnkeyedBytes() == 0) {
            subscriber.channel.eventLoop().execute(task);
        } else {
            unkeyedDrained = task;
        }
    }

    /** Bytes held that do not conflate (updates without a key, or with a key beyond the limit). */
    long heldUnkeyedBytes() {
        return pending.unkeyedBytes() + round.unkeyedBytes();
    }

    /** Updates held now, in both lists. */
    int heldCount() {
        return pending.size() + round.size();
    }

    /** Releases everything held; the subscriber is gone. */
    void close() {
        closed = true;
        unkeyedDrained = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        pending.clear();
        round.clear();
    }

    private void write(ByteBuf frame, long nowNanos) {
        subscriber.write(frame, nowNanos);
        stats.delivered();
    }

    private boolean takeToken() {
        if (!options.isRateLimited()) {
            return true;
        }
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private boolean hasToken() {
        if (!options.isRateLimited()) {
            return true;
        }
        refill();
        return tokens >= 1;
    }

    private void refill() {
        long nowNanos = ticker.nanoTime();
        long elapsed = nowNanos - tokensAtNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * options.maxRate() / 1e9);
            tokensAtNanos = nowNanos;
        }
    }

    private void scheduleTimer() {
        if (timer != null) {
            return;
        }
        long delay = (long) Math.ceil((1 - tokens) / options.maxRate() * 1e9);
        timer = subscriber.channel.eventLoop().schedule(this::onTimer, Math.max(1, delay), TimeUnit.NANOSECONDS);
    }

    private void onTimer() {
        timer = null;
        resume();
    }

    private void resume() {
        if (!closed && drain(System.nanoTime())) {
            subscriber.channel.flush();
        }
    }

    /** The last handler of a conflating stream's pipeline: a writable channel resumes the round. */
    private final class DrainOnWritable extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                resume();
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
