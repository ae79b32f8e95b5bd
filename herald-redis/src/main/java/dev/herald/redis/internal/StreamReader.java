package dev.herald.redis.internal;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.TransportStatus;
import dev.herald.hub.UpdateTransport;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hub's feed: a thread reading the stream from this hub's cursor with blocking {@code XREAD}s on
 * a connection of its own, handing each entry to the hub in order. When Redis stops answering
 * (down, paused, unreachable) the reader reports it ({@link #status()}: {@code /readyz}, metrics),
 * retries with exponential backoff and jitter, and resumes from its cursor, so nothing is skipped
 * or delivered twice.
 *
 * <p>After a reconnection it raises the sequence counter to its cursor ({@link Scripts#RAISE_FLOOR}):
 * a Redis that lost data must not hand out the sequences this hub already delivered again.
 *
 * <p>Thread-safe: {@link #status()} from any thread; {@link #start} and {@link #close} once.
 */
final class StreamReader {

    private static final Logger log = LoggerFactory.getLogger(StreamReader.class);

    /** How long one {@code XREAD} waits for new entries. */
    static final Duration BLOCK = Duration.ofSeconds(1);
    /**
     * Most entries one {@code XREAD} returns: as many as a replay page, so a burst of large updates
     * (up to {@code maxDataBytes} each) is never read into memory all at once.
     */
    static final int READ_BATCH = 256;
    static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Keys keys;
    private final UpdateTransport.Feed feed;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cursor;
    private volatile String downReason; // null while Redis answers
    private volatile long reconnects;

    StreamReader(StatefulRedisConnection<byte[], byte[]> connection, Keys keys, long afterSequence,
                 UpdateTransport.Feed feed) {
        this.connection = connection;
        this.keys = keys;
        this.cursor = afterSequence;
        this.feed = feed;
        this.thread = new Thread(this::run, "herald-redis-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The last sequence handed to the hub. */
    long cursor() {
        return cursor;
    }

    TransportStatus status() {
        String reason = downReason;
        return new TransportStatus(reason == null, reason, cursor, reconnects);
    }

    private void run() {
        RedisCommands<byte[], byte[]> redis = connection.sync();
        XReadArgs args = XReadArgs.Builder.block(BLOCK).count(READ_BATCH);
        long backoffMillis = MIN_BACKOFF.toMillis();
        while (running) {
            List<StreamMessage<byte[], byte[]>> batch;
            try {
                if (downReason != null) {
                    recovered(redis);
                }
                batch = redis.xread(args, XReadArgs.StreamOffset.from(keys.stream, EntryCodec.entryId(cursor)));
            } catch (RedisException e) {
                if (!running) {
                    break;
                }
                failed(e);
                sleep(backoffMillis);
                backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
                continue;
            }
            backoffMillis = MIN_BACKOFF.toMillis();
            if (batch != null) {
                for (StreamMessage<byte[], byte[]> m : batch) {
                    deliver(m);
                }
            }
        }
    }

    private void deliver(StreamMessage<byte[], byte[]> m) {
        long seq = EntryCodec.sequenceOf(m.getId());
        if (seq <= cursor) {
            return; // not Herald's, or not after the cursor: never hand the hub an entry out of order
        }
        HistoryEntry entry;
        try {
            entry = EntryCodec.decode(m);
        } catch (IllegalArgumentException e) {
            log.warn("skipping a stream entry Herald cannot read: {}", e.getMessage());
            cursor = seq;
            return;
        }
        try {
            feed.accept(entry);
        } catch (RuntimeException e) {
            log.error("the hub failed to take update {} (sequence {})", entry.id(), seq, e);
        }
        cursor = seq;
    }

    private void failed(RedisException e) {
        if (downReason == null) {
            log.warn("redis unavailable: publishes get 503 and the feed pauses after sequence {} until it answers "
                    + "again: {}", cursor, e.toString());
        }
        downReason = "redis unavailable: " + e.getMessage();
    }

    /** Back after a failure: make sure Redis will not hand out delivered sequences again, then go on. */
    private void recovered(RedisCommands<byte[], byte[]> redis) {
        Long before = Scripts.RAISE_FLOOR.runSync(redis, new byte[][] {keys.sequence},
                Long.toString(cursor).getBytes(StandardCharsets.US_ASCII));
        if (before != null && before < cursor) {
            log.error("redis has lost updates: its sequence was {} but this hub had read up to {}; new updates "
                    + "continue after {}, and subscribers asking for a lost id get herald-reset", before, cursor, cursor);
        }
        downReason = null;
        reconnects++;
        log.info("redis reachable again: the feed resumes after sequence {}", cursor);
    }

    private static void sleep(long backoffMillis) {
        long jitter = ThreadLocalRandom.current().nextLong(backoffMillis / 4 + 1);
        try {
            TimeUnit.MILLISECONDS.sleep(backoffMillis - backoffMillis / 8 + jitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading; waits up to {@code timeout} for the thread. */
    void close(Duration timeout) {
        running = false;
        thread.interrupt();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
