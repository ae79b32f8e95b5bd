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
 * The Lua scripts that keep the shared log, and the subscriptions recorded beside it, consistent:
 * Redis runs each atomically, so no other command sees half of one. Some build key names from the
 * prefixes they are given (the hubs' own keys), which a standalone or Sentinel-managed Redis allows. Run by digest ({@code EVALSHA}); a Redis that does not know the script
 * (restarted, failed over) gets its source once ({@code EVAL}, which caches it). Stateless and
 * thread-safe.
 */
final class Scripts {

    /**
     * The body of every append, a Lua function {@code append(k, a)} returning the new sequence (or
     * {@code nil} and the error reply): takes the next sequence, adds the entry with the id
     * {@code <sequence>-0}, maps the event id to its sequence and counts its bytes. Sequences are
     * gapless and every hub reads the same. The counter is written only once the entry is in (an
     * {@code XADD} refused for lack of memory leaves no trace), so a refused publish never leaves a
     * hole in the sequence.
     *
     * <p>A publisher may reuse an id (Mercure §"Reconciliation"): as on a single hub, it resolves to
     * its earliest kept occurrence, and once retention dropped that one, to the next. So the id map
     * keeps the first occurrence ({@code HSETNX}), and a later one is chained after the id's latest:
     * {@code idnext} maps a sequence to the next sequence with the same id, {@code idlast} a reused id
     * to its latest sequence. Both hold only reused ids' occurrences; {@link #TRIM} follows the chain.
     *
     * <p>{@code a[7]} is the highest sequence the publishing hub has read: if Redis lost data (a
     * restart without persistence, a failover to a replica that lagged), its counter restarts below
     * what hubs delivered, and new updates must not reuse those sequences, or hubs that read them
     * already would skip the new ones. A counter found behind the stream (its key lost on its own)
     * goes on after the stream's last id instead of failing every publish.
     *
     * <p>k: stream, sequence, ids, bytes, idnext, idlast. a: id, ts, size, private, topics, frame,
     * floor, conflation key (empty for none: the field is then left out).
     */
    private static final String APPEND_FUNCTION = """
            local function append(k, a)
              local seq = math.max(tonumber(redis.call('GET', k[2]) or '0'), tonumber(a[7])) + 1
              local fields = {'id', a[1], 'ts', a[2], 'size', a[3], 'private', a[4], 'topics', a[5], 'frame', a[6]}
              if a[8] ~= '' then
                fields[#fields + 1] = 'ckey'
                fields[#fields + 1] = a[8]
              end
              local added = redis.pcall('XADD', k[1], seq .. '-0', unpack(fields))
              if type(added) == 'table' and added.err then
                if not string.find(added.err, 'equal or smaller', 1, true) then return nil, added end
                local info = redis.call('XINFO', 'STREAM', k[1])
                for i = 1, #info, 2 do
                  if info[i] == 'last-generated-id' then seq = tonumber(string.match(info[i + 1], '^(%d+)')) + 1 end
                end
                redis.call('XADD', k[1], seq .. '-0', unpack(fields))
              end
              redis.call('SET', k[2], seq)
              if redis.call('HSETNX', k[3], a[1], seq) == 0 then
                local latest = redis.call('HGET', k[6], a[1]) or redis.call('HGET', k[3], a[1])
                redis.call('HSET', k[5], latest, seq)
                redis.call('HSET', k[6], a[1], seq)
              else
                redis.call('HDEL', k[6], a[1]) -- a new chain: a latest left from an id mapping lost otherwise is stale
              end
              redis.call('INCRBY', k[4], a[3])
              return seq
            end
            """;

    /**
     * Appends one update ({@link #APPEND_FUNCTION}). KEYS: stream, sequence, ids, bytes, idnext,
     * idlast. ARGV: id, ts, size, private, topics, frame, floor, conflation key. Returns the sequence.
     */
    static final Script APPEND = new Script(APPEND_FUNCTION + """
            local seq, err = append(KEYS, ARGV)
            if err then return err end
            return seq
            """);

    /**
     * Appends a subscription's start event and records the subscription in this hub's hash, in one
     * step, so the hashes always agree with the stream; refused (an error reply) when this hub is no
     * longer in the set of live hubs (the cluster took it for dead: its heartbeat registers it again).
     * The hash value is {@code <sequence>:<record>}, the sequence ordering a snapshot.
     *
     * <p>KEYS: as {@link #APPEND}, then the hub's subscriptions, nodes. ARGV: as {@link #APPEND},
     * then the topic, the hub's id, the record. Returns the sequence.
     */
    static final Script START = new Script(APPEND_FUNCTION + """
            if redis.call('SISMEMBER', KEYS[8], ARGV[10]) == 0 then
              return redis.error_reply('HERALDDEAD this hub is not registered (taken for dead): it registers again within a second')
            end
            local seq, err = append(KEYS, ARGV)
            if err then return err end
            redis.call('HSET', KEYS[7], ARGV[9], seq .. ':' .. ARGV[11])
            return seq
            """);

    /**
     * Appends a subscription's end event and forgets it, in one step, if the hash (a live hub's, or
     * the orphan of a dead one) still holds it; otherwise appends nothing and returns 0, so each end
     * is published once whoever publishes it. A hub ending its own ({@code ARGV[10]} its id, empty for
     * an orphan) must be live: otherwise (taken for dead, or Redis lost its records) the end is
     * refused until its heartbeat has told it which, and retried. KEYS: as {@link #APPEND}, then the
     * hash, nodes. ARGV: as {@link #APPEND}, then the topic, the hub's id or {@code ""}.
     * Returns the sequence, or 0.
     */
    static final Script END = new Script(APPEND_FUNCTION + """
            if ARGV[10] ~= '' and redis.call('SISMEMBER', KEYS[8], ARGV[10]) == 0 then
              return redis.error_reply('HERALDDEAD this hub is not registered: its heartbeat registers it again within a second')
            end
            if redis.call('HEXISTS', KEYS[7], ARGV[9]) == 0 then return 0 end
            local seq, err = append(KEYS, ARGV)
            if err then return err end
            redis.call('HDEL', KEYS[7], ARGV[9])
            return seq
            """);

    /**
     * A hub's heartbeat: sets its key to expire in {@code ARGV[2]} ms and puts it in the set of live
     * hubs. Returns 0 when it was there; 1 when it was not because another hub took it for dead
     * (and left the marker {@code KEYS[3]}, removed now); 2 when it was not for another reason: its
     * first heartbeat, or Redis lost its data. KEYS: nodes, the hub's heartbeat, its taken-for-dead
     * marker. ARGV: the hub's id, the time to live.
     */
    static final Script HEARTBEAT = new Script("""
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
            if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
            if redis.call('DEL', KEYS[3]) == 1 then return 1 end
            return 2
            """);

    /**
     * Takes for dead every live hub but the caller whose heartbeat expired: out of the set of live
     * hubs, its subscriptions renamed to an orphan (listed for their ends to be published), in one
     * step, so a snapshot sees them in one place or the other, and the hub's own later ends find
     * nothing to end; a marker tells the hub, if it comes back, that its ends were published (for
     * {@code ARGV[7]} ms: one back later takes its records for lost and publishes them again). KEYS:
     * nodes, orphans. ARGV: the heartbeat, subscriptions, orphan and marker key prefixes ({@link Keys}),
     * the caller's id, a nonce for the orphans' names, the marker's lifetime. Returns the ids taken.
     */
    static final Script TAKE_DEAD = new Script("""
            local taken = {}
            for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if n ~= ARGV[5] and redis.call('EXISTS', ARGV[1] .. n) == 0 then
                redis.call('SREM', KEYS[1], n)
                local subs = ARGV[2] .. n
                redis.call('SET', ARGV[4] .. n, '1', 'PX', ARGV[7])
                if redis.call('EXISTS', subs) == 1 then
                  local orphan = ARGV[3] .. n .. ':' .. ARGV[6]
                  redis.call('RENAME', subs, orphan)
                  redis.call('SADD', KEYS[2], orphan)
                end
                taken[#taken + 1] = n
              end
            end
            return taken
            """);

    /**
     * A hub stopping: out of the live set, its heartbeat gone, and what it could not end itself left
     * as an orphan for the others to end at once. KEYS: nodes, heartbeat, subscriptions, orphans, the
     * orphan name. ARGV: the hub's id. Returns 1 when an orphan was left.
     */
    static final Script LEAVE = new Script("""
            redis.call('DEL', KEYS[2])
            redis.call('SREM', KEYS[1], ARGV[1])
            if redis.call('EXISTS', KEYS[3]) == 1 then
              redis.call('RENAME', KEYS[3], KEYS[5])
              redis.call('SADD', KEYS[4], KEYS[5])
              return 1
            end
            return 0
            """);

    /**
     * Reads, in one step, the last sequence, its entry's event id ({@code ""} when there is none) and
     * every field and value of every live hub's and orphan's subscriptions: a flat list
     * {@code seq, id, topic, value, topic, value…}. KEYS: sequence, stream, nodes, orphans. ARGV: the
     * subscriptions key prefix.
     */
    static final Script SNAPSHOT = new Script("""
            local seq = redis.call('GET', KEYS[1]) or '0'
            local id = ''
            local last = redis.call('XRANGE', KEYS[2], seq .. '-0', seq .. '-0')
            if #last > 0 then
              local f = last[1][2]
              for i = 1, #f, 2 do
                if f[i] == 'id' then id = f[i + 1] end
              end
            end
            local out = {seq, id}
            local function add(key)
              local h = redis.call('HGETALL', key)
              for i = 1, #h do out[#out + 1] = h[i] end
            end
            for _, n in ipairs(redis.call('SMEMBERS', KEYS[3])) do add(ARGV[1] .. n) end
            for _, k in ipairs(redis.call('SMEMBERS', KEYS[4])) do add(k) end
            return out
            """);

    /**
     * Drops the oldest entries while the stream holds more than {@code ARGV[1]} entries or
     * {@code ARGV[3]} bytes, or its oldest entry is older than {@code ARGV[2]} (epoch ms), at most
     * {@code ARGV[4]} per call so Redis is never blocked for long. Reads one entry at a time (an entry
     * may carry a large frame), unmaps the ids of those dropped, then {@code XTRIM MINID} to the first
     * kept. An id mapped to a dropped entry is mapped to its next occurrence if it has one (the chain
     * {@link #APPEND_FUNCTION} keeps), so a reused id resolves as on a single hub: to its earliest kept
     * occurrence. KEYS: stream, ids, bytes, idnext, idlast. Returns how many were dropped.
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
              local nextSeq = redis.call('HGET', KEYS[4], seq)
              redis.call('HDEL', KEYS[4], seq) -- a dropped entry's link goes with it, whatever its id maps to
              if id and redis.call('HGET', KEYS[2], id) == seq then
                if nextSeq then
                  redis.call('HSET', KEYS[2], id, nextSeq)
                  if redis.call('HGET', KEYS[5], id) == nextSeq then redis.call('HDEL', KEYS[5], id) end
                else
                  redis.call('HDEL', KEYS[2], id)
                  redis.call('HDEL', KEYS[5], id)
                end
              end
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
            return run(redis, ScriptOutputType.INTEGER, keys, args);
        }

        /** {@link #run} for a script whose reply is of {@code type}. */
        <T> CompletableFuture<T> run(RedisAsyncCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys,
                                     byte[]... args) {
            return redis.<T>evalsha(sha1, type, keys, args).toCompletableFuture()
                    .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                            ? redis.<T>eval(source, type, keys, args).toCompletableFuture()
                            : CompletableFuture.failedFuture(unwrap(e)));
        }

        /** {@link #run}, blocking the calling thread (the feed's, never an event loop). */
        Long runSync(RedisCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
            return runSync(redis, ScriptOutputType.INTEGER, keys, args);
        }

        /** {@link #runSync} for a script whose reply is of {@code type}. */
        <T> T runSync(RedisCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys, byte[]... args) {
            try {
                return redis.evalsha(sha1, type, keys, args);
            } catch (RedisNoScriptException e) {
                return redis.eval(source, type, keys, args);
            }
        }

        private static Throwable unwrap(Throwable e) {
            return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        }
    }
}
