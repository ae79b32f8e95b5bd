package dev.herald.hub;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a {@link Hub} is configured with. Built by {@link Hub.Builder}; every default is one of
 * the {@code DEFAULT_…} constants below.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HubConfig {

    /** Default listening address: every interface, port 8080. */
    public static final InetSocketAddress DEFAULT_ADDRESS = new InetSocketAddress(8080);
    /** Default hub path (Mercure §"Discovery": the well-known URI). */
    public static final String DEFAULT_HUB_PATH = "/.well-known/mercure";
    /** Default idle time after which a stream gets a keep-alive comment. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
    /** Default history store: the durable SQLite one. */
    public static final HistoryKind DEFAULT_HISTORY_KIND = HistoryKind.SQLITE;
    /** Default directory of the SQLite history, relative to the working directory; created if missing. */
    public static final Path DEFAULT_DATA_DIR = Path.of("herald-data");
    /** Default {@link Durability}: acknowledged once written to the operating system, flushed about every second. */
    public static final Durability DEFAULT_DURABILITY = Durability.BATCH;
    /** Default most updates the history keeps (either store). */
    public static final long DEFAULT_HISTORY_MAX_EVENTS = 100_000;
    /** Default age beyond which updates leave the history: a subscriber offline longer gets the reset event. */
    public static final Duration DEFAULT_HISTORY_MAX_AGE = Duration.ofDays(7);
    /** Default most bytes of updates (SSE frames and topics) the history keeps: 256 MiB. */
    public static final long DEFAULT_HISTORY_MAX_BYTES = 256L * 1024 * 1024;
    /** Default maximum size of an update's {@code data}, in bytes (larger publishes get 413). */
    public static final int DEFAULT_MAX_DATA_BYTES = 1024 * 1024;
    /** Default maximum number of topic matchers in one subscription request. */
    public static final int DEFAULT_MAX_MATCHERS = 100;
    /** Default maximum length of one matcher value or topic, in characters. */
    public static final int DEFAULT_MAX_TOPIC_LENGTH = 2048;
    /** Default maximum number of {@code topic} fields in one publish. */
    public static final int DEFAULT_MAX_TOPICS_PER_UPDATE = 100;
    /** Default bytes a stream may queue beyond its write buffer before it is disconnected as slow. */
    public static final long DEFAULT_MAX_BACKLOG_BYTES = 1024 * 1024;
    /**
     * Default most conflation keys a conflating subscriber holds back per pending list (it has two:
     * the round being written and the next); updates with further keys are queued without conflation.
     */
    public static final int DEFAULT_MAX_CONFLATION_KEYS = 1_000;
    /** Default time a stream may stay unwritable (client not reading) before it is disconnected. */
    public static final Duration DEFAULT_MAX_STALL_TIME = Duration.ofSeconds(10);
    /**
     * Default longest time a stream stays open; the client then reconnects with its last event ID and
     * presents its token again (Mercure §"Subscribers" asks for a lifetime limit independent of exp).
     */
    public static final Duration DEFAULT_MAX_STREAM_LIFETIME = Duration.ofHours(24);
    /**
     * Default longest wait between two flushes of an event loop's streams. A loop waits eight times
     * as long as its last flush took, at most this: at more than one event per wait, a stream gets
     * that interval's events in one write (a fraction of the CPU per delivery, for at most this much
     * latency); a first event after a quiet interval goes out at once, and a loop with few streams
     * waits microseconds. 20 ms, measured (docs/benchmarks.md, 1,000 subscribers on two cores): at
     * 1,000 publishes/s, 0.62–0.70 us of hub CPU per delivery and a p99 latency of 32–36 ms, against
     * 0.91 us and 129 ms at a fixed 5 ms, where the machine ran out of CPU; at 100/s, a p50 of 14 ms
     * against 5 ms.
     */
    public static final Duration DEFAULT_FLUSH_DELAY = Duration.ofMillis(20);
    /**
     * Longest flush delay accepted: it is a latency budget, and every update published within it
     * waits for the flush, so a typo such as {@code 1h} would hold updates back for an hour.
     */
    public static final Duration MAX_FLUSH_DELAY = Duration.ofSeconds(1);
    /** Default reconnection time sent to every stream when the hub shuts down. */
    public static final Duration DEFAULT_SHUTDOWN_RETRY = Duration.ofSeconds(1);
    /** Default time shutdown waits for in-flight requests. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /** Default number of event loop threads: one per core. */
    public static final int DEFAULT_EVENT_LOOP_THREADS = Runtime.getRuntime().availableProcessors();
    /** Default issuer ({@code iss}) that tokens must carry when none is configured. */
    public static final String DEFAULT_JWT_ISSUER = "herald";
    /** Default signature algorithm for publisher and subscriber HMAC keys. */
    public static final String DEFAULT_JWT_ALGORITHM = "HS256";
    /**
     * Default most connections open at once, all clients together; more get 503 with
     * {@code Retry-After} (Mercure §"Subscription": limits per client and in total).
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
    /**
     * Default most connections from one client address; more get 429 with {@code Retry-After}.
     * Behind a reverse proxy every client has the proxy's address: raise it there.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 10_000;
    /**
     * Default most event streams open at once under one token subject ({@code iss} and {@code sub});
     * more get 429 with {@code Retry-After} (Mercure §"Authorization Details").
     */
    public static final int DEFAULT_MAX_STREAMS_PER_SUBJECT = 1_000;
    /** Default time a connection has to send its request headers (slowloris); then 408 and close. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Default time a connection that is not an event stream may stay idle before it is closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Default longest request line (method, target, version), in bytes; longer gets 414. */
    public static final int DEFAULT_MAX_REQUEST_LINE_LENGTH = 8 * 1024;
    /** Default largest request header section (HTTP/2: header list), in bytes; larger gets 431. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    /** Whether the web UI ({@code /}, {@code /demo/*}) is served by default. */
    public static final boolean DEFAULT_UI = true;
    /**
     * Whether active subscriptions (subscription events and the Subscription API) are on by default:
     * no, since they expose presence (Mercure §"Privacy Considerations").
     */
    public static final boolean DEFAULT_SUBSCRIPTIONS = false;
    /** Default protocol compatibility: Mercure 1.0 only. */
    public static final Compat DEFAULT_COMPAT = Compat.NONE;
    /**
     * Default lifetime of a stream ticket ({@code POST {hub}/tickets}): long enough to open the
     * {@code EventSource} it was fetched for, short enough that a ticket leaked in a URL is useless.
     */
    public static final Duration DEFAULT_TICKET_TTL = Duration.ofSeconds(30);
    /** The longest stream ticket lifetime that may be configured. */
    public static final Duration MAX_TICKET_TTL = Duration.ofMinutes(5);
    /** Default most stream tickets issued within one ticket lifetime, all subjects together (then 503). */
    public static final int DEFAULT_MAX_TICKETS = 100_000;
    /** Default most stream tickets issued within one ticket lifetime under one token subject (then 429). */
    public static final int DEFAULT_MAX_TICKETS_PER_SUBJECT = 100;

    private final InetSocketAddress address;
    private final String hubPath;
    private final URI publicUrl;
    private final Duration heartbeat;
    private final HistoryKind historyKind;
    private final Path dataDir;
    private final Durability durability;
    private final long historyMaxEvents;
    private final Duration historyMaxAge;
    private final long historyMaxBytes;
    private final HistoryStore historyStore;
    private final URI transportUri;
    private final UpdateTransport transport;
    private final int maxDataBytes;
    private final int maxMatchers;
    private final int maxTopicLength;
    private final int maxTopicsPerUpdate;
    private final long maxBacklogBytes;
    private final Duration maxStallTime;
    private final int maxConflationKeys;
    private final Duration flushDelay;
    private final Duration maxStreamLifetime;
    private final Duration shutdownRetry;
    private final Duration shutdownTimeout;
    private final int eventLoopThreads;
    private final boolean anonymous;
    private final String publisherJwtKey;
    private final String publisherJwtAlgorithm;
    private final String subscriberJwtKey;
    private final String subscriberJwtAlgorithm;
    private final String jwtIssuer;
    private final String jwtAudience;
    private final java.util.List<String> corsOrigins;
    private final java.util.List<String> publishOrigins;
    private final java.util.List<JwtIssuer> publisherIssuers;
    private final java.util.List<JwtIssuer> subscriberIssuers;
    private final URI publisherJwksUrl;
    private final URI subscriberJwksUrl;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final int maxStreamsPerSubject;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final int maxRequestLineLength;
    private final int maxHeaderSize;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final boolean ui;
    private final boolean demo;
    private final String uiToken;
    private final boolean subscriptions;
    private final Compat compat;
    private final Duration ticketTtl;
    private final int maxTickets;
    private final int maxTicketsPerSubject;
    private final UiTokenMinter uiTokenMinter;

    HubConfig(Hub.Builder b) {
        this.address = b.address;
        this.hubPath = b.hubPath;
        this.publicUrl = b.publicUrl != null ? b.publicUrl
                : URI.create("http://localhost:" + b.address.getPort() + b.hubPath);
        this.heartbeat = b.heartbeat;
        this.historyKind = b.historyKind;
        this.dataDir = b.dataDir;
        this.durability = b.durability;
        this.historyMaxEvents = b.historyMaxEvents;
        this.historyMaxAge = b.historyMaxAge;
        this.historyMaxBytes = b.historyMaxBytes;
        this.historyStore = b.historyStore;
        this.transportUri = b.transportUri;
        this.transport = b.transport;
        if (transportUri != null && transport != null) {
            throw new IllegalArgumentException("transport: give a URI or an instance, not both");
        }
        if (historyStore != null && (transportUri != null || transport != null)) {
            throw new IllegalArgumentException("historyStore: a hub with a transport keeps no history of its own "
                    + "(the transport's is shared by the cluster)");
        }
        this.maxDataBytes = b.maxDataBytes;
        this.maxMatchers = b.maxMatchers;
        this.maxTopicLength = b.maxTopicLength;
        this.maxTopicsPerUpdate = b.maxTopicsPerUpdate;
        this.maxBacklogBytes = b.maxBacklogBytes;
        this.maxStallTime = b.maxStallTime;
        this.maxConflationKeys = b.maxConflationKeys;
        this.flushDelay = b.flushDelay;
        this.maxStreamLifetime = b.maxStreamLifetime;
        this.shutdownRetry = b.shutdownRetry;
        this.shutdownTimeout = b.shutdownTimeout;
        this.eventLoopThreads = b.eventLoopThreads;
        this.anonymous = b.anonymous;
        this.publisherJwtKey = b.publisherJwtKey;
        this.publisherJwtAlgorithm = b.publisherJwtAlgorithm;
        this.subscriberJwtKey = b.subscriberJwtKey;
        this.subscriberJwtAlgorithm = b.subscriberJwtAlgorithm;
        this.jwtIssuer = b.jwtIssuer;
        this.jwtAudience = b.jwtAudience != null ? b.jwtAudience : this.publicUrl.toString();
        this.corsOrigins = java.util.List.copyOf(b.corsOrigins);
        this.publishOrigins = java.util.List.copyOf(b.publishOrigins);
        this.publisherJwksUrl = b.publisherJwksUrl;
        this.subscriberJwksUrl = b.subscriberJwksUrl;
        this.publisherIssuers = issuers(b.publisherIssuers, "publisher", b.publisherJwtKey, b.publisherJwtAlgorithm,
                b.publisherJwksUrl, b.jwtIssuer);
        java.util.List<JwtIssuer> subscribers = issuers(b.subscriberIssuers, "subscriber", b.subscriberJwtKey,
                b.subscriberJwtAlgorithm, b.subscriberJwksUrl, b.jwtIssuer);
        this.subscriberIssuers = subscribers.isEmpty() ? this.publisherIssuers : subscribers;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
        this.maxStreamsPerSubject = b.maxStreamsPerSubject;
        this.headerTimeout = b.headerTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxRequestLineLength = b.maxRequestLineLength;
        this.maxHeaderSize = b.maxHeaderSize;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.ui = b.ui;
        this.demo = b.demo;
        this.uiToken = b.uiToken;
        this.subscriptions = b.subscriptions;
        this.compat = b.compat;
        this.ticketTtl = b.ticketTtl;
        this.maxTickets = b.maxTickets;
        this.maxTicketsPerSubject = b.maxTicketsPerSubject;
        this.uiTokenMinter = b.uiTokenMinter;
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("tlsCertificate and tlsPrivateKey must be given together");
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The path of the hub endpoint (subscribe and publish). */
    public String hubPath() {
        return hubPath;
    }

    /** The hub's public URL: the base for relative topics and URL patterns, and the default audience. */
    public URI publicUrl() {
        return publicUrl;
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    /** The built-in history store used when {@link #historyStore()} is {@code null}. */
    public HistoryKind historyKind() {
        return historyKind;
    }

    /** Where the SQLite history lives ({@code history.db} and a lock file). */
    public Path dataDir() {
        return dataDir;
    }

    /** When the SQLite history counts a publish as stored. */
    public Durability durability() {
        return durability;
    }

    /** Most updates the built-in history keeps. */
    public long historyMaxEvents() {
        return historyMaxEvents;
    }

    /** Oldest update the built-in history keeps. */
    public Duration historyMaxAge() {
        return historyMaxAge;
    }

    /** Most bytes of updates (SSE frames and topics) the built-in history keeps. */
    public long historyMaxBytes() {
        return historyMaxBytes;
    }

    /** A history store supplied by the embedding program, or {@code null} for the built-in one. */
    public HistoryStore historyStore() {
        return historyStore;
    }

    /**
     * The shared log that makes this hub one of a cluster (e.g. {@code redis://host:6379}), found
     * through {@link UpdateTransportProvider} by its scheme; {@code null} for a hub of its own.
     */
    public URI transportUri() {
        return transportUri;
    }

    /** A transport supplied by the embedding program, or {@code null}. */
    public UpdateTransport transport() {
        return transport;
    }

    public int maxDataBytes() {
        return maxDataBytes;
    }

    public int maxMatchers() {
        return maxMatchers;
    }

    public int maxTopicLength() {
        return maxTopicLength;
    }

    public int maxTopicsPerUpdate() {
        return maxTopicsPerUpdate;
    }

    public long maxBacklogBytes() {
        return maxBacklogBytes;
    }

    public Duration maxStallTime() {
        return maxStallTime;
    }

    /** Most conflation keys a conflating subscriber holds per pending list. */
    public int maxConflationKeys() {
        return maxConflationKeys;
    }

    /** The least time between two flushes of an event loop's streams ({@link #DEFAULT_FLUSH_DELAY}); zero for none. */
    public Duration flushDelay() {
        return flushDelay;
    }

    public Duration maxStreamLifetime() {
        return maxStreamLifetime;
    }

    public Duration shutdownRetry() {
        return shutdownRetry;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public int eventLoopThreads() {
        return eventLoopThreads;
    }

    /** Whether subscribers without a token are accepted (they never receive private updates). */
    public boolean anonymous() {
        return anonymous;
    }

    /** The publisher verification key (HMAC secret or PEM public key), or {@code null}: publishing over HTTP is then refused. */
    public String publisherJwtKey() {
        return publisherJwtKey;
    }

    public String publisherJwtAlgorithm() {
        return publisherJwtAlgorithm;
    }

    /** The subscriber verification key, or {@code null} to use the publisher key for subscribers too. */
    public String subscriberJwtKey() {
        return subscriberJwtKey;
    }

    public String subscriberJwtAlgorithm() {
        return subscriberJwtAlgorithm;
    }

    /** The issuer ({@code iss}) tokens must carry. */
    public String jwtIssuer() {
        return jwtIssuer;
    }

    /** The hub's resource identifier, which tokens' {@code aud} must contain. */
    public String jwtAudience() {
        return jwtAudience;
    }

    /**
     * Origins whose pages may use the hub from a browser (CORS), as {@code scheme://host[:port]};
     * {@code *} allows any origin but then never with credentials (cookies). Empty: no CORS headers.
     */
    public java.util.List<String> corsOrigins() {
        return corsOrigins;
    }

    /**
     * Origins ({@code scheme://host[:port]}) a publish authenticated by cookie may come from, besides
     * the public URL's own origin: its {@code Origin} (or else {@code Referer}) must be one of them,
     * or the publish gets 403 (Mercure §"Security Considerations": CSRF).
     */
    public java.util.List<String> publishOrigins() {
        return publishOrigins;
    }

    /**
     * The issuers publisher tokens are verified with: those given with
     * {@link Hub.Builder#publisherIssuer}, then the one-issuer shorthand ({@link #jwtIssuer()} with
     * {@link #publisherJwtKey()} and/or {@link #publisherJwksUrl()}) when configured. Empty: publishing
     * over HTTP is refused.
     */
    public java.util.List<JwtIssuer> publisherIssuers() {
        return publisherIssuers;
    }

    /** The issuers subscriber tokens are verified with; the publisher issuers when none is configured for subscribers. */
    public java.util.List<JwtIssuer> subscriberIssuers() {
        return subscriberIssuers;
    }

    /** The JWK Set URL of the shorthand issuer for publisher tokens, or {@code null}. */
    public URI publisherJwksUrl() {
        return publisherJwksUrl;
    }

    /** The JWK Set URL of the shorthand issuer for subscriber tokens, or {@code null}. */
    public URI subscriberJwksUrl() {
        return subscriberJwksUrl;
    }

    /** Most connections open at once; beyond, 503 with {@code Retry-After}. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most connections from one client IP address; beyond, 429 with {@code Retry-After}. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /** Most event streams under one token subject ({@code iss}, {@code sub}); beyond, 429 with {@code Retry-After}. */
    public int maxStreamsPerSubject() {
        return maxStreamsPerSubject;
    }

    /** Time a connection has to complete its request headers; then 408 (if it sent part of a request) and close. */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** Time a connection that is not an event stream may stay idle before it is closed. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Longest request line, in bytes (414 beyond). */
    public int maxRequestLineLength() {
        return maxRequestLineLength;
    }

    /** Largest request header section, in bytes (431 beyond). */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** The explicit issuers, then the shorthand issuer built from a key and/or a JWK Set URL. */
    private static java.util.List<JwtIssuer> issuers(java.util.List<JwtIssuer> explicit, String role, String key,
                                                     String algorithm, URI jwksUrl, String issuer) {
        java.util.List<JwtIssuer> all = new java.util.ArrayList<>(explicit);
        if (key != null || jwksUrl != null) {
            JwtIssuer.Builder shorthand = JwtIssuer.builder(issuer);
            if (key != null) {
                boolean pem = key.stripLeading().startsWith("-----BEGIN");
                if (algorithm.startsWith("HS")) {
                    if (pem) {
                        throw new IllegalArgumentException(role + " JWT key: PEM text used with " + algorithm
                                + " (expected: an RS, PS, ES or EdDSA algorithm; a public key is never an HMAC secret)");
                    }
                    shorthand.hmacSecret(key, algorithm);
                } else {
                    shorthand.publicKeyPem(key, algorithm);
                }
            }
            if (jwksUrl != null) {
                shorthand.jwksUrl(jwksUrl);
            }
            try {
                all.add(shorthand.build());
            } catch (IllegalArgumentException e) {
                String detail = e.getCause() instanceof IllegalArgumentException c ? c.getMessage() : e.getMessage();
                throw new IllegalArgumentException(role + " JWT key of issuer " + issuer + ": " + detail, e);
            }
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JwtIssuer i : all) {
            if (!seen.add(i.issuer())) {
                throw new IllegalArgumentException(role + " issuer " + i.issuer()
                        + ": configured twice (expected: one entry per issuer, listing all its keys)");
            }
        }
        return java.util.List.copyOf(all);
    }

    public Path tlsCertificate() {
        return tlsCertificate;
    }

    public Path tlsPrivateKey() {
        return tlsPrivateKey;
    }

    /** Whether the web UI ({@code /}, {@code /demo/*}, {@code /ui/*}) is served. */
    public boolean ui() {
        return ui;
    }

    /** Whether the demo publisher runs, feeding the demo pages' topics. */
    public boolean demo() {
        return demo;
    }

    /** The token the web UI hands to every page that asks (development only), or {@code null}. */
    public String uiToken() {
        return uiToken;
    }

    /**
     * Whether the hub tracks active subscriptions (Mercure §"Active Subscriptions"): it publishes a
     * private subscription event when a subscription starts and ends, and serves the Subscription API
     * below the hub path.
     */
    public boolean subscriptions() {
        return subscriptions;
    }

    /** Which earlier protocol the hub also speaks besides Mercure 1.0. */
    public Compat compat() {
        return compat;
    }

    /** How long a stream ticket stays redeemable (never past its token's {@code exp}). */
    public Duration ticketTtl() {
        return ticketTtl;
    }

    /** Most stream tickets issued within one {@link #ticketTtl()}, all subjects together; beyond, 503. */
    public int maxTickets() {
        return maxTickets;
    }

    /** Most stream tickets issued within one {@link #ticketTtl()} under one token subject; beyond, 429. */
    public int maxTicketsPerSubject() {
        return maxTicketsPerSubject;
    }

    /** The minter the web UI offers (development only), or {@code null}. */
    public UiTokenMinter uiTokenMinter() {
        return uiTokenMinter;
    }
}
