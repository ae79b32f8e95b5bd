package dev.herald.redis.internal;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the shared log lives: a Redis URI as Lettuce reads it ({@code redis://[user:password@]host[:port][/db]},
 * {@code rediss://…} for TLS, {@code redis-sentinel://host[:port][,host2[:port2]][/db]#masterId}), plus
 * Herald's own {@code prefix} query parameter, the start of every key the cluster uses (default
 * {@value #DEFAULT_PREFIX}), so several hub clusters can share one Redis.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisSettings {

    /** Default key prefix. */
    public static final String DEFAULT_PREFIX = "herald";
    /** The schemes understood. */
    public static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel");
    static final String PREFIX_PARAMETER = "prefix";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final RedisURI redisUri;
    private final String prefix;
    private final String description;

    private RedisSettings(RedisURI redisUri, String prefix, String description) {
        this.redisUri = redisUri;
        this.prefix = prefix;
        this.description = description;
    }

    /**
     * Reads {@code uri}.
     *
     * @throws IllegalArgumentException with a reason, if it is not a Redis URI Lettuce accepts or its prefix is bad
     */
    public static RedisSettings parse(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("'" + scheme + ":' (expected: redis://, rediss:// or redis-sentinel://)");
        }
        String text = uri.toString();
        String prefix = DEFAULT_PREFIX;
        int q = text.indexOf('?');
        if (q >= 0) {
            int hash = text.indexOf('#', q);
            String query = hash < 0 ? text.substring(q + 1) : text.substring(q + 1, hash);
            List<String> kept = new ArrayList<>();
            for (String param : query.split("&")) {
                if (param.startsWith(PREFIX_PARAMETER + "=")) {
                    prefix = URLDecoder.decode(param.substring(PREFIX_PARAMETER.length() + 1), StandardCharsets.UTF_8);
                } else if (!param.isEmpty()) {
                    kept.add(param);
                }
            }
            text = text.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept))
                    + (hash < 0 ? "" : text.substring(hash));
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix: '" + prefix
                    + "' (expected: 1 to 64 letters, digits, '_', '.', ':' or '-')");
        }
        RedisURI redisUri;
        try {
            redisUri = RedisURI.create(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + redact(uri) + "' is not a Redis URI: " + e.getMessage()
                    + " (expected: redis://[user:password@]host[:port][/db], rediss://…, or "
                    + "redis-sentinel://host[:port][,host2[:port2]][/db]#masterId)", e);
        }
        return new RedisSettings(redisUri, prefix, redact(uri) + " (prefix " + prefix + ")");
    }

    /** The URI without its credentials, for logs and messages. */
    static String redact(URI uri) {
        String s = uri.toString();
        int schemeEnd = s.indexOf("://");
        int at = s.indexOf('@');
        int pathStart = schemeEnd < 0 ? -1 : firstOf(s, schemeEnd + 3, "/?#");
        if (schemeEnd >= 0 && at > schemeEnd && (pathStart < 0 || at < pathStart)) {
            s = s.substring(0, schemeEnd + 3) + "***@" + s.substring(at + 1);
        }
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q) + (s.indexOf('#', q) >= 0 ? s.substring(s.indexOf('#', q)) : "");
    }

    private static int firstOf(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The connection settings for Lettuce (a copy is not needed: the transport never changes it). */
    public RedisURI redisUri() {
        return redisUri;
    }

    /** The start of every key. */
    public String prefix() {
        return prefix;
    }

    /** The URI without credentials or query, and the prefix. */
    @Override
    public String toString() {
        return description;
    }
}
