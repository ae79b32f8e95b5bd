package dev.herald.redis.internal;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryReader;
import dev.herald.hub.HistoryUnavailableException;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's history, read from Redis: {@code HGET} on the id map for a {@code Last-Event-ID}
 * (resolved by Redis, so a hub answers for an id another hub acknowledged a moment ago, before its own
 * feed read it), {@code XRANGE} by sequence for replay pages. Every read is a blocking round trip:
 * the hub makes them off its event loops. A Redis that cannot answer makes a read fail with
 * {@link HistoryUnavailableException} (the subscriber gets 503, or its replaying stream is closed so
 * it retries).
 *
 * <p>Thread-safe (Lettuce connections are).
 */
final class RedisHistory implements HistoryReader {

    private static final Logger log = LoggerFactory.getLogger(RedisHistory.class);

    private final Supplier<RedisCommands<byte[], byte[]>> redis;
    private final Keys keys;

    RedisHistory(Supplier<RedisCommands<byte[], byte[]>> redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public long findSequence(String id) {
        try {
            byte[] seq = redis.get().hget(keys.ids, id.getBytes(StandardCharsets.UTF_8));
            return seq == null ? -1 : Long.parseLong(new String(seq, StandardCharsets.US_ASCII));
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
        if (upToSequence <= afterSequence || limit <= 0) {
            return List.of();
        }
        List<StreamMessage<byte[], byte[]>> page;
        try {
            page = redis.get().xrange(keys.stream, Range.create(EntryCodec.entryId(afterSequence + 1),
                    EntryCodec.entryId(upToSequence)), Limit.from(limit));
        } catch (RedisException e) {
            throw unavailable(e);
        }
        List<HistoryEntry> entries = new ArrayList<>(page.size());
        for (StreamMessage<byte[], byte[]> m : page) {
            try {
                entries.add(EntryCodec.decode(m));
            } catch (IllegalArgumentException e) {
                log.warn("skipping a stream entry Herald cannot read: {}", e.getMessage());
            }
        }
        return entries;
    }

    @Override
    public long oldestSequence() {
        try {
            List<StreamMessage<byte[], byte[]>> first = redis.get().xrange(keys.stream, Range.create("-", "+"),
                    Limit.from(1));
            return first.isEmpty() ? -1 : EntryCodec.sequenceOf(first.get(0).getId());
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long lastSequence() {
        try {
            byte[] seq = redis.get().get(keys.sequence);
            return seq == null ? 0 : Long.parseLong(new String(seq, StandardCharsets.US_ASCII));
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean isBlocking() {
        return true;
    }

    static HistoryUnavailableException unavailable(RedisException e) {
        return new HistoryUnavailableException("redis unavailable: " + e.getMessage(), RedisTransport.RETRY_AFTER, e);
    }
}
