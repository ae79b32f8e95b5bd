package dev.herald.redis.internal;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryReader;
import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import dev.herald.hub.SubscriptionStore;
import dev.herald.hub.TicketStore;
import dev.herald.hub.TransportStatus;
import dev.herald.hub.UpdateTransport;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared log on a Redis stream (Redis 7 or Valkey, standalone or Sentinel). Three connections:
 * one for publishes ({@link Scripts#APPEND}, pipelined by Lettuce: many publishes share a round
 * trip), one for history reads and retention (so a large replay page never delays a publish), and
 * one for this hub's feed, whose blocking {@code XREAD}s would hold any other command back.
 *
 * <p>Publishes fail at once while the connection is down (Lettuce rejects commands instead of
 * queueing them), after {@link #COMMAND_TIMEOUT} while Redis does not answer, and when more than
 * {@link #MAX_QUEUED_COMMANDS} are waiting: the hub answers them 503 with {@code Retry-After}.
 * Lettuce reconnects by itself; a Sentinel URI finds the current master again after a failover.
 *
 * <p>It is also the cluster's {@link SubscriptionStore}: each hub records its active subscriptions
 * in a hash of its own, atomically with their events ({@link Scripts#START}, {@link Scripts#END}),
 * and a {@link SubscriptionKeeper} keeps it among the live hubs and ends the subscriptions of the
 * hubs that are gone.
 *
 * <p>And it is the cluster's {@link TicketStore}: a stream ticket's record is a string under
 * {@code PREFIX:ticket:<SHA-256 of the ticket>} ({@code SET … NX PX}), expiring with the ticket, and
 * redeeming takes it with {@code GETDEL} (Redis 6.2 or later), so that of several hubs redeeming one
 * ticket at once exactly one gets it. Both run on the publish connection, with the same timeout and
 * failure as a publish.
 *
 * <p>Thread-safe.
 */
public final class RedisTransport implements UpdateTransport, SubscriptionStore, TicketStore {

    private static final Logger log = LoggerFactory.getLogger(RedisTransport.class);

    /** How long a publish or history read waits for Redis before it fails (503). */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** {@code Retry-After} for a publish Redis did not take. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Most commands waiting on one connection; beyond, publishes are refused (503) instead of queueing. */
    public static final int MAX_QUEUED_COMMANDS = 65_536;
    /**
     * How long a hub's heartbeat lives unless refreshed (every second), with active subscriptions: the
     * subscriptions of a hub silent for longer are ended by another.
     */
    public static final Duration HEARTBEAT_TTL = Duration.ofSeconds(5);
    /** How long {@link #close} waits for publishes in flight. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(3);

    private final RedisSettings settings;
    private final Keys keys;
    private final HubConfig config;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;
    private ClientResources resources;
    private RedisClient client;
    private RedisClient feedClient;
    private StatefulRedisConnection<byte[], byte[]> publishConnection;
    private StatefulRedisConnection<byte[], byte[]> readConnection;
    private StatefulRedisConnection<byte[], byte[]> feedConnection;
    private RedisHistory history;
    private RetentionJob retentionJob;
    private volatile StreamReader reader;
    /** This hub's name among the cluster's live hubs, for its recorded subscriptions. */
    private final String nodeId = UUID.randomUUID().toString();
    private volatile SubscriptionKeeper keeper; // with active subscriptions

    /** A transport to {@code settings}' Redis, its stream bounded by {@code config}'s {@code historyMax…} settings. */
    public RedisTransport(RedisSettings settings, HubConfig config) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.config = Objects.requireNonNull(config, "config");
        this.keys = new Keys(settings.prefix());
    }

    @Override
    public long connect() {
        // reconnect soon after Redis returns (Lettuce's default backs off to 30 s), jittered so the
        // hubs of a cluster do not all knock at once
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.decorrelatedJitter(StreamReader.MIN_BACKOFF, StreamReader.MAX_BACKOFF,
                        StreamReader.MIN_BACKOFF.toMillis(),
                        TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, settings.redisUri());
        client.setOptions(options(COMMAND_TIMEOUT));
        // the feed's XREAD blocks for up to BLOCK before it answers: its timeout comes on top
        feedClient = RedisClient.create(resources, settings.redisUri());
        feedClient.setOptions(options(COMMAND_TIMEOUT.plus(StreamReader.BLOCK)));
        try {
            publishConnection = connect(client, COMMAND_TIMEOUT);
            readConnection = connect(client, COMMAND_TIMEOUT);
            feedConnection = connect(feedClient, COMMAND_TIMEOUT.plus(StreamReader.BLOCK));
            history = new RedisHistory(readConnection::sync, keys);
            long start = history.lastSequence();
            retentionJob = new RetentionJob(readConnection.sync(), keys, config);
            retentionJob.start();
            return start;
        } catch (RedisException | HistoryUnavailableException e) {
            close();
            RedisCommandExecutionException refusal = refusal(e);
            if (refusal != null) { // Redis answered: a wrong database, user or password, not a network problem
                throw new HubStartException("Redis at " + settings + " refused the connection: " + refusal.getMessage()
                        + " (check the database, user and password in --transport)", e);
            }
            throw new HubStartException("cannot reach Redis at " + settings + ": " + e.getMessage()
                    + " (is it running and reachable? check --transport)", e);
        }
    }

    /** The error Redis itself answered during the connection's set-up (SELECT, AUTH, HELLO), if that is the cause. */
    private static RedisCommandExecutionException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException r) {
                return r;
            }
        }
        return null;
    }

    private static ClientOptions options(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_QUEUED_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build();
    }

    private static StatefulRedisConnection<byte[], byte[]> connect(RedisClient client, Duration timeout) {
        StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
        c.setTimeout(timeout);
        return c;
    }

    @Override
    public void startFeed(long afterSequence, Feed feed) {
        if (reader != null) {
            throw new IllegalStateException("feed already started");
        }
        StreamReader r = new StreamReader(feedConnection, keys, afterSequence, Objects.requireNonNull(feed, "feed"));
        reader = r;
        r.start();
    }

    @Override
    public CompletableFuture<Long> append(String id, List<String> topics, boolean isPrivate, long timestampMillis,
                                          byte[] frame, String conflationKey) {
        return run(Scripts.APPEND, appendKeys(), appendArgs(id, topics, isPrivate, timestampMillis, frame, conflationKey));
    }

    @Override
    public CompletableFuture<Long> appendStart(String topic, byte[] record, String eventId, byte[] frame) {
        SubscriptionKeeper k = keeper;
        CompletableFuture<Long> started = run(Scripts.START, appendKeys(keys.subscriptions(nodeId), keys.nodes),
                appendArgs(eventId, List.of(topic), true, System.currentTimeMillis(), frame, null,
                        topic.getBytes(StandardCharsets.UTF_8), nodeId.getBytes(StandardCharsets.UTF_8), record));
        return k == null ? started : started.thenApply(seq -> {
            k.recorded(topic);
            return seq;
        });
    }

    @Override
    public CompletableFuture<Long> appendEnd(String topic, String eventId, byte[] frame) {
        SubscriptionKeeper k = keeper;
        if (k != null && k.isLost(topic)) { // Redis lost the record: nobody else will publish this end
            return run(Scripts.APPEND, appendKeys(), appendArgs(eventId, List.of(topic), true,
                    System.currentTimeMillis(), frame, null)).thenApply(seq -> {
                        k.ended(topic);
                        return seq;
                    });
        }
        CompletableFuture<Long> ended = appendEnd(keys.subscriptions(nodeId), nodeId, topic, eventId, frame);
        return k == null ? ended : ended.thenApply(seq -> {
            k.ended(topic);
            return seq;
        });
    }

    /**
     * Appends the end event of {@code topic} if {@code hash} still holds it: this hub's (then
     * {@code owner} is this hub's id, which must be live) or an orphan's ({@code owner} empty).
     */
    private CompletableFuture<Long> appendEnd(byte[] hash, String owner, String topic, String eventId, byte[] frame) {
        return run(Scripts.END, appendKeys(hash, keys.nodes), appendArgs(eventId, List.of(topic), true,
                System.currentTimeMillis(), frame, null, topic.getBytes(StandardCharsets.UTF_8),
                owner.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletableFuture<Void> issue(String ticketId, byte[] record, Duration ttl) {
        byte[] key = keys.ticket(Objects.requireNonNull(ticketId, "ticketId"));
        Objects.requireNonNull(record, "record");
        // PX, not EX: a ticket's lifetime may be a fraction of a second (its token's exp); NX, since a
        // record must never replace another (2^-256, but an overwrite would redeem the wrong token)
        SetArgs args = SetArgs.Builder.nx().px(Math.max(1, ttl.toMillis()));
        return run(redis -> redis.set(key, record, args)).thenApply(reply -> {
            if (!"OK".equals(reply)) {
                throw new CompletionException(new HistoryUnavailableException("ticket id already in use",
                        RETRY_AFTER, null));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<byte[]> redeem(String ticketId) {
        byte[] key = keys.ticket(Objects.requireNonNull(ticketId, "ticketId"));
        return run(redis -> redis.getdel(key)); // atomic: one of any number of concurrent redemptions gets it
    }

    @Override
    public SubscriptionStore.Snapshot snapshot() {
        try {
            return SubscriptionKeeper.snapshot(readConnection.sync(), keys);
        } catch (RedisException e) {
            throw RedisHistory.unavailable(e);
        }
    }

    @Override
    public void keep(SubscriptionStore.Keeper hub) {
        if (keeper != null) {
            throw new IllegalStateException("already kept");
        }
        SubscriptionKeeper k = new SubscriptionKeeper(readConnection.sync(), keys, nodeId,
                (orphan, topic, eventId, frame) -> appendEnd(orphan, "", topic, eventId, frame),
                Objects.requireNonNull(hub, "hub"));
        try {
            k.start();
        } catch (RedisException e) {
            throw new HubStartException("cannot register this hub's subscriptions in Redis at " + settings + ": "
                    + e.getMessage(), e);
        }
        keeper = k;
    }

    /** The stream, counter, id map, byte count and reused ids' chain every append writes, then {@code more}. */
    private byte[][] appendKeys(byte[]... more) {
        byte[][] k = new byte[6 + more.length][];
        k[0] = keys.stream;
        k[1] = keys.sequence;
        k[2] = keys.ids;
        k[3] = keys.bytes;
        k[4] = keys.idNext;
        k[5] = keys.idLast;
        System.arraycopy(more, 0, k, 6, more.length);
        return k;
    }

    /** The arguments of {@link Scripts#APPEND}, then {@code more}. */
    private byte[][] appendArgs(String id, List<String> topics, boolean isPrivate, long timestampMillis, byte[] frame,
                                String conflationKey, byte[]... more) {
        byte[] encodedTopics = HistoryEntry.encodeTopics(topics);
        StreamReader r = reader;
        byte[][] args = new byte[8 + more.length][];
        args[0] = id.getBytes(StandardCharsets.UTF_8);
        args[1] = ascii(timestampMillis);
        args[2] = ascii(EntryCodec.size(encodedTopics, frame));
        args[3] = ascii(isPrivate ? 1 : 0);
        args[4] = encodedTopics;
        args[5] = frame;
        args[6] = ascii(r == null ? 0 : r.cursor());
        args[7] = conflationKey == null ? new byte[0] : conflationKey.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(more, 0, args, 8, more.length);
        return args;
    }

    /** Runs an appending script on the publish connection, counted in flight for {@link #close}. */
    private CompletableFuture<Long> run(Scripts.Script script, byte[][] scriptKeys, byte[][] args) {
        return run(redis -> script.run(redis, scriptKeys, args));
    }

    /**
     * Runs {@code command} on the publish connection, counted in flight for {@link #close}; a Redis
     * failure fails the future with {@link HistoryUnavailableException}.
     */
    private <T> CompletableFuture<T> run(Function<RedisAsyncCommands<byte[], byte[]>, CompletionStage<T>> command) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("transport closed"));
        }
        inFlight.incrementAndGet();
        try {
            return command.apply(publishConnection.async()).toCompletableFuture()
                    .handle((seq, failure) -> {
                        inFlight.decrementAndGet();
                        if (failure == null) {
                            return seq;
                        }
                        throw new CompletionException(refused(failure));
                    });
        } catch (RuntimeException e) { // Lettuce may refuse at once (closed, queue full)
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(refused(e));
        }
    }

    private static RuntimeException refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof RedisException e) {
            return RedisHistory.unavailable(e);
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public HistoryReader history() {
        if (history == null) {
            throw new IllegalStateException("not connected");
        }
        return history;
    }

    @Override
    public TransportStatus status() {
        StreamReader r = reader;
        return r == null ? new TransportStatus(true, null, 0, 0) : r.status();
    }

    /** Trims the stream to the retention bounds now (tests; the background job does it every second). */
    long trimNow() {
        return retentionJob.trim();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) { // acknowledged publishes get their answer
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        SubscriptionKeeper k = keeper;
        if (k != null) { // after the ends in flight: what is left becomes an orphan for the others
            k.close(CLOSE_TIMEOUT);
        }
        if (retentionJob != null) {
            retentionJob.close();
        }
        StreamReader r = reader;
        if (r != null) {
            r.close(CLOSE_TIMEOUT);
        }
        for (RedisClient c : new RedisClient[] {client, feedClient}) { // closes their connections
            if (c != null) {
                c.shutdown(Duration.ZERO, CLOSE_TIMEOUT);
            }
        }
        if (resources != null) {
            resources.shutdown(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.debug("closed the transport to {}", settings);
    }

    @Override
    public String toString() {
        return "redis " + settings;
    }
}
