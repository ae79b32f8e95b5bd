package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers recently verified tokens for a short while, so that a publisher reusing one token for
 * many publishes, or a subscriber reconnecting, does not pay a signature verification each time:
 * ES256 and EdDSA verification costs on the order of a millisecond with the JDK's providers,
 * against a few microseconds for a lookup here.
 *
 * <p>Only successful verifications are cached. Entries are keyed by the SHA-256 digest of the
 * token, so the cache never retains a token and a hit requires the identical token (SHA-256
 * collision resistance). The caller still checks {@code exp} on every hit; an entry lives at most
 * {@code ttl}, which bounds how long a key removed from an issuer's JWK Set keeps validating
 * tokens it signed. When full, the cache is emptied rather than tracking recency: only valid
 * tokens get in, so churn means an unusual load, not an attack on the cache.
 *
 * <p>Thread-safe.
 */
final class VerificationCache {

    private static final class Entry {
        final AccessToken token;
        final Instant until;

        Entry(AccessToken token, Instant until) {
            this.token = token;
            this.until = until;
        }
    }

    private final int maxEntries;
    private final Duration ttl;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerificationCache(int maxEntries, Duration ttl) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
        }
        this.maxEntries = maxEntries;
        this.ttl = requireNonNull(ttl, "ttl");
    }

    /** The cache key of {@code token}: its SHA-256 digest, as a 32-character Latin-1 string. */
    static String keyOf(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return new String(digest, StandardCharsets.ISO_8859_1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The token cached under {@code key} and still within its cache lifetime at {@code now}, or {@code null}. */
    AccessToken get(String key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (now.isAfter(entry.until)) {
            entries.remove(key, entry);
            return null;
        }
        return entry.token;
    }

    void put(String key, AccessToken token, Instant now) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        Instant until = token.expiresAt().isBefore(now.plus(ttl)) ? token.expiresAt() : now.plus(ttl);
        entries.put(key, new Entry(token, until));
    }

    int size() {
        return entries.size();
    }
}
