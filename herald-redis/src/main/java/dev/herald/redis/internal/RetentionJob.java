package dev.herald.redis.internal;

import dev.herald.hub.HubConfig;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies retention to the shared stream in the background, about every second: the oldest entries
 * go while there are more than {@code historyMaxEvents} or {@code historyMaxBytes}, or they are older
 * than {@code historyMaxAge} ({@link Scripts#TRIM}, at most {@value #STEP} entries per script call so Redis is
 * never busy for long). Every hub runs it; the script is atomic and idempotent, so they never
 * conflict, and retention goes on while any hub is up. A failure (Redis down) is retried at the next
 * tick; the feed reports outages.
 *
 * <p>Thread-safe: one scheduler thread; {@link #start} and {@link #close} once.
 */
final class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    /** Most entries one trim call drops. */
    static final int STEP = 500;
    /** Most trim calls per tick: a backlog (retention lowered, a burst) drains over a few seconds. */
    static final int MAX_STEPS_PER_TICK = 20;
    static final long PERIOD_MILLIS = 1000;

    private final RedisCommands<byte[], byte[]> redis;
    private final Keys keys;
    private final long maxEvents;
    private final long maxAgeMillis;
    private final long maxBytes;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-redis-retention");
        t.setDaemon(true);
        return t;
    });

    RetentionJob(RedisCommands<byte[], byte[]> redis, Keys keys, HubConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.maxEvents = config.historyMaxEvents();
        this.maxAgeMillis = config.historyMaxAge().toMillis();
        this.maxBytes = config.historyMaxBytes();
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Trims until within the bounds (or {@value #MAX_STEPS_PER_TICK} steps); returns how many entries went. */
    long trim() {
        long total = 0;
        for (int i = 0; i < MAX_STEPS_PER_TICK; i++) {
            long minTimestamp = System.currentTimeMillis() - maxAgeMillis;
            Long dropped = Scripts.TRIM.runSync(redis,
                    new byte[][] {keys.stream, keys.ids, keys.bytes, keys.idNext, keys.idLast},
                    ascii(maxEvents), ascii(minTimestamp), ascii(maxBytes), ascii(STEP));
            total += dropped == null ? 0 : dropped;
            if (dropped == null || dropped < STEP) {
                break;
            }
        }
        return total;
    }

    private void tick() {
        try {
            long dropped = trim();
            if (dropped > 0) {
                log.debug("retention dropped {} update(s)", dropped);
            }
        } catch (RedisException e) {
            log.debug("retention skipped: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("retention failed", e);
        }
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    void close() {
        scheduler.shutdownNow();
    }
}
