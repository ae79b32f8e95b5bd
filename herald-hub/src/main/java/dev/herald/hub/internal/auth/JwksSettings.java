package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.auth.JwsAlgorithm.Family;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where and how to fetch one issuer's JWK Set (RFC 7517 §5), for issuers that publish and rotate
 * their keys (an authorization server's {@code jwks_uri}, RFC 8414 §2). The set is cached for
 * {@link #cacheTimeToLive()} and refreshed ahead of expiry in the background; a token whose
 * {@code kid} is not in the cached set triggers one refresh, at most twice per
 * {@link #rateLimitInterval()} (nimbus {@code RateLimitedJWKSetSource}), so a flood of made-up key
 * IDs cannot hammer the issuer.
 *
 * <p>Only asymmetric algorithms may come from a JWK Set (a published set is public; a symmetric key
 * in it would be known to everyone). The URL must be {@code https}, except for a loopback host
 * (tests, sidecars). Keys from the set are used only for the issuer this setting is attached to.
 *
 * <p>Immutable and thread-safe.
 */
public final class JwksSettings {

    /** How long a fetched set is trusted before it must be fetched again. */
    public static final Duration DEFAULT_CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);
    /** How long a thread waits for a refresh another thread started. */
    public static final Duration DEFAULT_REFRESH_TIMEOUT = Duration.ofSeconds(5);
    /** The window in which at most two fetches are made (so an unknown {@code kid} refreshes at most that often). */
    public static final Duration DEFAULT_RATE_LIMIT_INTERVAL = Duration.ofSeconds(30);
    /** How far ahead of expiry the set is refreshed in the background, when the time-to-live allows it. */
    public static final Duration DEFAULT_REFRESH_AHEAD_TIME = Duration.ofSeconds(30);
    /** The TCP connect time-out of one fetch. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** The read time-out of one fetch. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
    /** The largest JWK Set document accepted, in bytes. */
    public static final int DEFAULT_MAX_SIZE_BYTES = 64 * 1024;
    /** Every asymmetric algorithm: RS, PS, ES, EdDSA and Ed25519 (each key still only verifies its own kind). */
    public static final Set<JwsAlgorithm> DEFAULT_ALGORITHMS;

    static {
        EnumSet<JwsAlgorithm> asymmetric = EnumSet.noneOf(JwsAlgorithm.class);
        for (JwsAlgorithm algorithm : JwsAlgorithm.values()) {
            if (algorithm.family() != Family.HMAC) {
                asymmetric.add(algorithm);
            }
        }
        DEFAULT_ALGORITHMS = Collections.unmodifiableSet(asymmetric);
    }

    private final URI url;
    private final Duration cacheTimeToLive;
    private final Duration refreshTimeout;
    private final Duration rateLimitInterval;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int maxSizeBytes;
    private final Set<JwsAlgorithm> algorithms;

    private JwksSettings(Builder builder) {
        this.url = builder.url;
        this.cacheTimeToLive = builder.cacheTimeToLive;
        this.refreshTimeout = builder.refreshTimeout;
        this.rateLimitInterval = builder.rateLimitInterval;
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.maxSizeBytes = builder.maxSizeBytes;
        this.algorithms = Collections.unmodifiableSet(EnumSet.copyOf(builder.algorithms));
    }

    /** Settings for {@code url} with every default. */
    public static JwksSettings ofUrl(URI url) {
        return builder(url).build();
    }

    /** A builder for {@code url}, starting from the defaults. */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    public URI url() {
        return url;
    }

    public Duration cacheTimeToLive() {
        return cacheTimeToLive;
    }

    public Duration refreshTimeout() {
        return refreshTimeout;
    }

    public Duration rateLimitInterval() {
        return rateLimitInterval;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public int maxSizeBytes() {
        return maxSizeBytes;
    }

    /** The algorithms a key from this set may verify (further narrowed by each key's type and {@code alg}). */
    public Set<JwsAlgorithm> algorithms() {
        return algorithms;
    }

    /** The background refresh lead time nimbus accepts: it must fit in the time-to-live with the refresh timeout. */
    Duration refreshAheadTime() {
        Duration room = cacheTimeToLive.minus(refreshTimeout);
        return room.compareTo(DEFAULT_REFRESH_AHEAD_TIME) < 0 ? room.dividedBy(2) : DEFAULT_REFRESH_AHEAD_TIME;
    }

    @Override
    public String toString() {
        return "JwksSettings[" + url + ", ttl=" + cacheTimeToLive + ", algorithms="
                + VerificationKey.names(algorithms) + "]";
    }

    /** Builds {@link JwksSettings}. Not thread-safe; use from one thread. */
    public static final class Builder {

        private final URI url;
        private Duration cacheTimeToLive = DEFAULT_CACHE_TIME_TO_LIVE;
        private Duration refreshTimeout = DEFAULT_REFRESH_TIMEOUT;
        private Duration rateLimitInterval = DEFAULT_RATE_LIMIT_INTERVAL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private int maxSizeBytes = DEFAULT_MAX_SIZE_BYTES;
        private Set<JwsAlgorithm> algorithms = DEFAULT_ALGORITHMS;

        private Builder(URI url) {
            this.url = checkUrl(requireNonNull(url, "url"));
        }

        public Builder cacheTimeToLive(Duration cacheTimeToLive) {
            this.cacheTimeToLive = positive(cacheTimeToLive, "cacheTimeToLive");
            return this;
        }

        public Builder refreshTimeout(Duration refreshTimeout) {
            this.refreshTimeout = positive(refreshTimeout, "refreshTimeout");
            return this;
        }

        public Builder rateLimitInterval(Duration rateLimitInterval) {
            this.rateLimitInterval = positive(rateLimitInterval, "rateLimitInterval");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positiveMillis(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = positiveMillis(readTimeout, "readTimeout");
            return this;
        }

        public Builder maxSizeBytes(int maxSizeBytes) {
            if (maxSizeBytes <= 0) {
                throw new IllegalArgumentException("maxSizeBytes: " + maxSizeBytes + " (expected: > 0)");
            }
            this.maxSizeBytes = maxSizeBytes;
            return this;
        }

        /** Narrows the accepted algorithms; must be a non-empty set of asymmetric algorithms. */
        public Builder algorithms(Set<JwsAlgorithm> algorithms) {
            requireNonNull(algorithms, "algorithms");
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("algorithms: [] (expected: at least one)");
            }
            for (JwsAlgorithm algorithm : algorithms) {
                if (requireNonNull(algorithm, "algorithms element").family() == Family.HMAC) {
                    throw new IllegalArgumentException("algorithms: " + algorithm.jwaName()
                            + " (expected: asymmetric algorithms only; a JWK Set is public)");
                }
            }
            this.algorithms = EnumSet.copyOf(algorithms);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if the refresh timeout or rate-limit interval is not shorter than the time-to-live
         */
        public JwksSettings build() {
            if (refreshTimeout.compareTo(cacheTimeToLive) >= 0) {
                throw new IllegalArgumentException("refreshTimeout: " + refreshTimeout
                        + " (expected: < cacheTimeToLive " + cacheTimeToLive + ")");
            }
            if (rateLimitInterval.compareTo(cacheTimeToLive) >= 0) {
                throw new IllegalArgumentException("rateLimitInterval: " + rateLimitInterval
                        + " (expected: < cacheTimeToLive " + cacheTimeToLive + ")");
            }
            return new JwksSettings(this);
        }

        private static URI checkUrl(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || url.getHost() == null) {
                throw new IllegalArgumentException("url: " + url + " (expected: an absolute https URL)");
            }
            if (scheme.equals("https") || (scheme.equals("http") && isLoopback(url.getHost()))) {
                return url;
            }
            throw new IllegalArgumentException("url: " + url + " (expected: https, or http on a loopback host)");
        }

        private static boolean isLoopback(String host) {
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return false; // a name: not resolved here, so not trusted to be local
            }
            try {
                return InetAddress.getByName(literal).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static Duration positive(Duration value, String name) {
            requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static Duration positiveMillis(Duration value, String name) {
            positive(value, name);
            if (value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: <= " + Integer.MAX_VALUE + " ms)");
            }
            return value;
        }
    }
}
