package dev.herald.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * The Lua scripts that keep the shared log consistent: Redis runs each atomically, so no other
 * command sees half of one. Run by digest ({@code EVALSHA}); a Redis that does not know the script
 * (restarted, failed over) gets its source once ({@code EVAL}, which caches it). Stateless and
 * thread-safe.
 */
final class Scripts {

    /**
     * Appends one update: takes the next sequence, adds the entry with the id {@code <sequence>-0},
     * maps the event id to its sequence (the first one: a publisher that reuses an id resolves to its
     * earliest kept occurrence) and counts its bytes. Sequences are gapless and every hub reads the
     * same. The counter is written only once the entry is in (an {@code XADD} refused for lack of
     * memory leaves no trace), so a refused publish never leaves a hole in the sequence.
     *
     * <p>{@code ARGV[7]} is the highest sequence the publishing hub has read: if Redis lost data (a
     * restart without persistence, a failover to a replica that lagged), its counter restarts below
     * what hubs delivered, and new updates must not reuse those sequences, or hubs that read them
     * already would skip the new ones. A counter found behind the stream (its key lost on its own)
     * goes on after the stream's last id instead of failing every publish.
     *
     * <p>KEYS: stream, sequence, ids, bytes. ARGV: id, ts, size, private, topics, frame, floor,
     * conflation key (empty for none: the field is then left out).
     * Returns the sequence.
     */
    static final Script APPEND = new Script("""
            local seq = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), tonumber(ARGV[7])) + 1
            local fields = {'id', ARGV[1], 'ts', ARGV[2], 'size', ARGV[3], 'private', ARGV[4],
                            'topics', ARGV[5], 'frame', ARGV[6]}
            if ARGV[8] ~= '' then
              fields[#fields + 1] = 'ckey'
              fields[#fields + 1] = ARGV[8]
            end
            local added = redis.pcall('XADD', KEYS[1], seq .. '-0', unpack(fields))
            if type(added) == 'table' and added.err then
              if not string.find(added.err, 'equal or smaller', 1, true) then return added end
              local info = redis.call('XINFO', 'STREAM', KEYS[1])
              for i = 1, #info, 2 do
                if info[i] == 'last-generated-id' then seq = tonumber(string.match(info[i + 1], '^(%d+)')) + 1 end
              end
              redis.call('XADD', KEYS[1], seq .. '-0', unpack(fields))
            end
            redis.call('SET', KEYS[2], seq)
            redis.call('HSETNX', KEYS[3], ARGV[1], seq)
            redis.call('INCRBY', KEYS[4], ARGV[3])
            return seq
            """);

    /**
     * Drops the oldest entries while the stream holds more than {@code ARGV[1]} entries or
     * {@code ARGV[3]} bytes, or its oldest entry is older than {@code ARGV[2]} (epoch ms), at most
     * {@code ARGV[4]} per call so Redis is never blocked for long. Reads one entry at a time (an entry
     * may carry a large frame), unmaps the ids of those dropped, then {@code XTRIM MINID} to the first
     * kept. KEYS: stream, ids, bytes. Returns how many were dropped.
     */
    static final Script TRIM = new Script("""
            local len = redis.call('XLEN', KEYS[1])
            local bytes = tonumber(redis.call('GET', KEYS[3]) or '0')
            local maxEvents, minTs, maxBytes, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
            local dropped, freed, start, lastSeq = 0, 0, '-', nil
            while dropped < limit do
              local page = redis.call('XRANGE', KEYS[1], start, '+', 'COUNT', 1)
              if #page == 0 then break end
              local entryId, f = page[1][1], page[1][2]
              local id, ts, size
              for i = 1, #f, 2 do
                if f[i] == 'id' then id = f[i + 1]
                elseif f[i] == 'ts' then ts = tonumber(f[i + 1])
                elseif f[i] == 'size' then size = tonumber(f[i + 1]) end
              end
              if not ((len - dropped) > maxEvents or (bytes - freed) > maxBytes or (ts or 0) < minTs) then break end
              local seq = string.match(entryId, '^(%d+)')
              if id and redis.call('HGET', KEYS[2], id) == seq then redis.call('HDEL', KEYS[2], id) end
              dropped, freed, lastSeq, start = dropped + 1, freed + (size or 0), tonumber(seq), '(' .. entryId
            end
            if dropped > 0 then
              redis.call('XTRIM', KEYS[1], 'MINID', (lastSeq + 1) .. '-0')
              redis.call('DECRBY', KEYS[3], freed)
            end
            return dropped
            """);

    /**
     * Raises the sequence counter to at least {@code ARGV[1]} (what this hub has read), after a
     * reconnection: see {@link #APPEND} on data lost by Redis. KEYS: sequence. Returns the counter
     * as it was.
     */
    static final Script RAISE_FLOOR = new Script("""
            local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
            if seq < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
            return seq
            """);

    private Scripts() {
    }

    /** One script: its source and digest. */
    static final class Script {
        final String source;
        final String sha1;

        Script(String source) {
            this.source = source;
            try {
                this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e); // every JVM has SHA-1
            }
        }

        /** Runs it by digest, or by source if Redis does not know it; the future fails with Lettuce's exception. */
        CompletableFuture<Long> run(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            return redis.<Long>evalsha(sha1, ScriptOutputType.INTEGER, keys, args).toCompletableFuture()
                    .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                            ? redis.<Long>eval(source, ScriptOutputType.INTEGER, keys, args).toCompletableFuture()
                            : CompletableFuture.failedFuture(unwrap(e)));
        }

        /** {@link #run}, blocking the calling thread (the feed's, never an event loop). */
        Long runSync(RedisCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            try {
                return redis.evalsha(sha1, ScriptOutputType.INTEGER, keys, args);
            } catch (RedisNoScriptException e) {
                return redis.eval(source, ScriptOutputType.INTEGER, keys, args);
            }
        }

        private static Throwable unwrap(Throwable e) {
            return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        }
    }
}
