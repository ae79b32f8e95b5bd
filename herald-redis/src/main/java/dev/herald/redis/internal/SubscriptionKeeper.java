package dev.herald.redis.internal;

import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.SubscriptionStore;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one hub's place among the live hubs of the cluster, for the active subscriptions every hub
 * records in Redis ({@link SubscriptionStore}), and ends the subscriptions of hubs that are gone.
 * Every {@value #PERIOD_MILLIS} ms, on a thread of its own:
 *
 * <ol>
 *   <li>it refreshes this hub's heartbeat, which expires after {@link #HEARTBEAT_TTL}
 *       ({@link Scripts#HEARTBEAT}). The heartbeat finding the hub out of the live set means the
 *       cluster took it for dead (and published its ends), or Redis lost its data (and the records
 *       with it: the hub then publishes their ends itself, see {@link #isLost}); either way the hub
 *       is told ({@link SubscriptionStore.Keeper#takenForDead}) and ends its streams;</li>
 *   <li>once this hub has itself been heard for a whole {@link #HEARTBEAT_TTL} (so a hub that is
 *       alive and connected has had the time to refresh its own heartbeat: after a Redis outage,
 *       nobody is taken for dead because everybody's heartbeat expired meanwhile), it takes for dead
 *       every hub whose heartbeat expired ({@link Scripts#TAKE_DEAD}), which leaves their
 *       subscriptions as orphans;</li>
 *   <li>it publishes the ends of the orphans' subscriptions, claiming each orphan first
 *       ({@code SET NX}, {@link #CLAIM_TTL}) so hubs do not do the same work twice. Each end goes
 *       through {@link Scripts#END}, which appends it only if the orphan still holds the subscription:
 *       an end is published once even if two hubs, or a claim that expired, overlap.</li>
 * </ol>
 *
 * <p>A killed hub's subscriptions therefore end on every hub within about {@link #HEARTBEAT_TTL}
 * plus one period of its last heartbeat. A hub stopping gracefully ends its own, and leaves what it
 * could not end as an orphan ({@link Scripts#LEAVE}) for the others to end at once.
 *
 * <p>It also knows which of this hub's subscriptions are recorded ({@link #recorded}, {@link #ended}):
 * a set of topics, bounded by the hub's live subscriptions.
 *
 * <p>Thread-safe: one scheduler thread; {@link #start} and {@link #close} once each; the others
 * from any thread.
 */
final class SubscriptionKeeper {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionKeeper.class);

    /** How long a hub's heartbeat lives unless refreshed: a hub silent for longer is taken for dead. */
    static final Duration HEARTBEAT_TTL = RedisTransport.HEARTBEAT_TTL;
    static final long PERIOD_MILLIS = 1000;
    /** How long a claim on publishing an orphan's ends lasts if its hub dies meanwhile. */
    static final Duration CLAIM_TTL = Duration.ofSeconds(30);
    /** How long a hub taken for dead is told so if it comes back (then it takes its records for lost). */
    static final Duration TAKEN_MARKER_TTL = Duration.ofDays(1);
    /** Ends published per round trip batch. */
    static final int BATCH = 256;
    /** How long a batch of ends may take before the round is given up (retried at the next tick). */
    static final Duration BATCH_TIMEOUT = RedisTransport.COMMAND_TIMEOUT.multipliedBy(2);

    /** Appends an end event if {@code hash} still holds {@code topic} ({@link Scripts#END}). */
    @FunctionalInterface
    interface Ends {
        CompletableFuture<Long> appendEnd(byte[] hash, String topic, String eventId, byte[] frame);
    }

    private final RedisCommands<byte[], byte[]> redis;
    private final Keys keys;
    private final String nodeId;
    private final byte[] node;
    private final Ends ends;
    private final SubscriptionStore.Keeper hub;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-redis-subscriptions");
        t.setDaemon(true);
        return t;
    });
    /** {@link System#nanoTime} since when every heartbeat succeeded, or -1 after a failed one. */
    private long heardSince = -1;
    /** The topics of this hub's subscriptions recorded in Redis and not ended yet. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /**
     * The topics of this hub's subscriptions whose records Redis lost (restarted without its data):
     * nobody published their ends, so this hub appends them without the check {@link Scripts#END} makes.
     */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();

    SubscriptionKeeper(RedisCommands<byte[], byte[]> redis, Keys keys, String nodeId, Ends ends,
                       SubscriptionStore.Keeper hub) {
        this.redis = redis;
        this.keys = keys;
        this.nodeId = nodeId;
        this.node = keys.node(nodeId);
        this.ends = ends;
        this.hub = hub;
    }

    /**
     * Reads, in one step, the last sequence, its event id, and every hub's recorded subscriptions
     * (live hubs' and orphans'), oldest start first ({@link Scripts#SNAPSHOT}).
     */
    static SubscriptionStore.Snapshot snapshot(RedisCommands<byte[], byte[]> redis, Keys keys) {
        List<Object> out = Scripts.SNAPSHOT.runSync(redis, ScriptOutputType.MULTI,
                new byte[][] {keys.sequence, keys.stream, keys.nodes, keys.orphans}, utf8(keys.subsPrefix));
        long sequence = Long.parseLong(text((byte[]) out.get(0)));
        String id = text((byte[]) out.get(1));
        List<Recorded> recorded = new ArrayList<>((out.size() - 2) / 2);
        for (int i = 2; i + 1 < out.size(); i += 2) {
            Recorded r = Recorded.parse(text((byte[]) out.get(i)), (byte[]) out.get(i + 1));
            if (r != null) {
                recorded.add(r);
            }
        }
        recorded.sort(Comparator.comparingLong(Recorded::sequence));
        return new SubscriptionStore.Snapshot(sequence, id.isEmpty() ? null : id,
                recorded.stream().map(Recorded::held).toList());
    }

    /** Registers this hub (its first heartbeat, at once: it must be live before its first subscription), then keeps it. */
    void start() {
        heartbeatScript();
        heardSince = System.nanoTime();
        scheduler.scheduleWithFixedDelay(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            heartbeat();
            if (System.nanoTime() - heardSince >= HEARTBEAT_TTL.toNanos()) {
                takeDead();
            }
            endOrphans();
        } catch (RedisException | HistoryUnavailableException e) { // Redis unreachable: the feed reports it
            heardSince = -1;
            log.debug("subscriptions keeping skipped: {}", e.toString());
        } catch (IllegalStateException closing) {
            log.debug("subscriptions keeping stopped: {}", closing.toString());
        } catch (RuntimeException e) {
            log.warn("subscriptions keeping failed", e);
        }
    }

    private Long heartbeatScript() {
        return Scripts.HEARTBEAT.runSync(redis, new byte[][] {keys.nodes, node, keys.taken(nodeId)}, utf8(nodeId),
                ascii(HEARTBEAT_TTL.toMillis()));
    }

    private void heartbeat() {
        Long registered = heartbeatScript();
        if (heardSince < 0) {
            heardSince = System.nanoTime();
        }
        if (registered == null || registered == 0) {
            return;
        }
        if (registered == 1) { // the others took this hub for dead and published its ends
            log.warn("this hub was taken for dead by the cluster (its heartbeat expired): its subscriptions were "
                    + "ended, and it is registered again");
            held.clear();
        } else { // Redis lost this hub's records: nobody published their ends
            log.error("redis lost this hub's registration and subscription records: it is registered again and "
                    + "publishes the ends of the {} subscription(s) it held", held.size());
            lost.addAll(held);
            held.removeAll(lost);
        }
        hub.takenForDead();
    }

    /** Notes that Redis recorded this hub's subscription {@code topic}. */
    void recorded(String topic) {
        held.add(topic);
    }

    /**
     * Whether the end of {@code topic} must be appended without the check that the record is still
     * there: Redis lost it, and nobody else will publish the end.
     */
    boolean isLost(String topic) {
        return lost.contains(topic);
    }

    /** Notes that the end of this hub's subscription {@code topic} was appended, or found not owed. */
    void ended(String topic) {
        held.remove(topic);
        lost.remove(topic);
    }

    private void takeDead() {
        List<Object> taken = Scripts.TAKE_DEAD.runSync(redis, ScriptOutputType.MULTI,
                new byte[][] {keys.nodes, keys.orphans}, utf8(keys.nodePrefix), utf8(keys.subsPrefix),
                utf8(keys.orphanPrefix), utf8(keys.takenPrefix), utf8(nodeId), utf8(UUID.randomUUID().toString()),
                ascii(TAKEN_MARKER_TTL.toMillis()));
        for (Object id : taken) {
            log.info("hub {} stopped answering (no heartbeat for {} s): ending its subscriptions", text((byte[]) id),
                    HEARTBEAT_TTL.toSeconds());
        }
    }

    private void endOrphans() {
        for (byte[] orphan : redis.smembers(keys.orphans)) {
            byte[] claim = keys.claim(orphan);
            if (!"OK".equals(redis.set(claim, utf8(nodeId), SetArgs.Builder.nx().px(CLAIM_TTL.toMillis())))) {
                continue; // another hub is on it
            }
            try {
                long ended = endAll(orphan);
                if (redis.exists(orphan) == 0) {
                    redis.srem(keys.orphans, orphan);
                }
                if (ended > 0) {
                    log.info("published the end of {} subscription(s) of a stopped hub", ended);
                }
            } finally {
                redis.del(claim);
            }
        }
    }

    /** Publishes the end of every subscription {@code orphan} holds; returns how many this call published. */
    private long endAll(byte[] orphan) {
        long ended = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            MapScanCursor<byte[], byte[]> page = redis.hscan(orphan, cursor, ScanArgs.Builder.limit(BATCH));
            List<CompletableFuture<Long>> batch = new ArrayList<>(page.getMap().size());
            for (Map.Entry<byte[], byte[]> e : page.getMap().entrySet()) {
                String topic = text(e.getKey());
                Recorded r = Recorded.parse(topic, e.getValue());
                SubscriptionStore.EndEvent end = null;
                try {
                    end = r == null ? null : hub.endOf(topic, r.held().record());
                } catch (IllegalArgumentException unreadable) {
                    log.warn("dropping an unreadable subscription record of {}: {}", topic, unreadable.getMessage());
                }
                if (end == null) {
                    redis.hdel(orphan, e.getKey());
                } else {
                    batch.add(ends.appendEnd(orphan, topic, end.eventId(), end.frame()));
                }
            }
            for (CompletableFuture<Long> f : batch) {
                ended += await(f) > 0 ? 1 : 0;
            }
            cursor = page;
        } while (!cursor.isFinished());
        return ended;
    }

    private static long await(CompletableFuture<Long> f) {
        try {
            Long seq = f.get(BATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return seq == null ? 0 : seq;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new RedisException("publishing ends timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /**
     * Stops keeping, then leaves the live set; what this hub could not end itself becomes an orphan
     * for the others to end. Waits up to {@code timeout} for a tick in progress.
     */
    void close(Duration timeout) {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Long left = Scripts.LEAVE.runSync(redis, new byte[][] {keys.nodes, node, keys.subscriptions(nodeId),
                    keys.orphans, keys.orphan(nodeId, "left")}, utf8(nodeId));
            if (left != null && left == 1) {
                log.info("left subscriptions this hub could not end for the others to end");
            }
        } catch (RedisException e) {
            log.warn("could not leave the cluster's live hubs ({}): they take this hub for dead within {} s",
                    e.toString(), HEARTBEAT_TTL.toSeconds());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A hash entry: the start's sequence and the hub's record ({@code <sequence>:<record>}). */
    private record Recorded(long sequence, SubscriptionStore.Held held) {

        static Recorded parse(String topic, byte[] value) {
            int colon = -1;
            for (int i = 0; i < value.length && i < 20; i++) {
                if (value[i] == ':') {
                    colon = i;
                    break;
                }
            }
            try {
                long seq = Long.parseLong(new String(value, 0, Math.max(colon, 0), StandardCharsets.US_ASCII));
                return new Recorded(seq, new SubscriptionStore.Held(topic, Arrays.copyOfRange(value, colon + 1,
                        value.length)));
            } catch (NumberFormatException e) {
                log.warn("skipping a subscription entry Herald did not write under {}", topic);
                return null;
            }
        }
    }
}
