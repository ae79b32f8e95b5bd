package dev.herald.hub;

import dev.herald.hub.internal.HubRuntime;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A Mercure hub: subscribers follow topics over Server-Sent Events, publishers post updates.
 *
 * <pre>{@code
 * try (Hub hub = Hub.builder().address(new InetSocketAddress("localhost", 8080))
 *         .publisherJwtKey(secret).anonymous(true).build().start()) {
 *     hub.publish(Update.of("https://example.com/books/1", "{\"title\":\"Dune\"}"));
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: {@link #publish} may be called from any thread; {@link #start} and
 * {@link #close} once each.
 */
public final class Hub implements AutoCloseable {

    private final HubConfig config;
    private final HubRuntime runtime;

    private Hub(HubConfig config) {
        this.config = config;
        this.runtime = new HubRuntime(config);
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the listening socket and starts serving. Returns once the hub accepts connections.
     *
     * @throws HubStartException if the address is taken, the TLS files are unreadable, or the history fails to open
     */
    public Hub start() {
        runtime.start();
        return this;
    }

    /**
     * Publishes an update from inside the process (no token needed) and returns its event id once the
     * update is stored in the history (durably, for the SQLite history) and on its way to subscribers.
     * The same validation as an HTTP publish applies. Blocks for about one history commit; a thread
     * publishing many updates should use {@link #publishAsync}, whose commits are shared.
     *
     * @throws IllegalArgumentException if the update breaks a protocol rule (reserved topic, bad id or type)
     * @throws HistoryUnavailableException if the history cannot store it now
     * @throws IllegalStateException if the hub is not running
     */
    public String publish(Update update) {
        return runtime.publish(Objects.requireNonNull(update, "update"));
    }

    /**
     * Publishes without waiting: the future completes with the event id once the update is stored,
     * or fails with {@link HistoryUnavailableException} (not stored, not delivered) or
     * {@link IllegalStateException} (the hub stopped). Updates published from one thread are stored
     * and delivered in that order. Dependent stages run on a common pool thread, never on the hub's
     * own threads.
     *
     * @throws IllegalArgumentException at once, if the update breaks a protocol rule
     * @throws IllegalStateException at once, if the hub is not running
     */
    public java.util.concurrent.CompletableFuture<String> publishAsync(Update update) {
        return runtime.publishAsync(Objects.requireNonNull(update, "update"));
    }

    /** The address the hub listens on (with the actual port when port 0 was configured). */
    public InetSocketAddress address() {
        return runtime.boundAddress();
    }

    /** The URL of the hub endpoint on the bound address, e.g. {@code http://127.0.0.1:8080/.well-known/mercure}. */
    public URI url() {
        return runtime.url();
    }

    public HubConfig config() {
        return config;
    }

    /** Streams open now. */
    public long subscriberCount() {
        return runtime.stats().activeSubscribers();
    }

    /**
     * Shuts down gracefully: stops accepting, sends every stream a final {@code retry} hint and closes
     * it, lets in-flight publishes finish, then releases threads and the history.
     */
    @Override
    public void close() {
        runtime.close();
    }

    /** Configures a {@link Hub}. Not thread-safe. */
    public static final class Builder {
        InetSocketAddress address = HubConfig.DEFAULT_ADDRESS;
        String hubPath = HubConfig.DEFAULT_HUB_PATH;
        URI publicUrl;
        Duration heartbeat = HubConfig.DEFAULT_HEARTBEAT;
        HistoryKind historyKind = HubConfig.DEFAULT_HISTORY_KIND;
        Path dataDir = HubConfig.DEFAULT_DATA_DIR;
        Durability durability = HubConfig.DEFAULT_DURABILITY;
        long historyMaxEvents = HubConfig.DEFAULT_HISTORY_MAX_EVENTS;
        Duration historyMaxAge = HubConfig.DEFAULT_HISTORY_MAX_AGE;
        long historyMaxBytes = HubConfig.DEFAULT_HISTORY_MAX_BYTES;
        HistoryStore historyStore;
        URI transportUri;
        UpdateTransport transport;
        int maxDataBytes = HubConfig.DEFAULT_MAX_DATA_BYTES;
        int maxMatchers = HubConfig.DEFAULT_MAX_MATCHERS;
        int maxTopicLength = HubConfig.DEFAULT_MAX_TOPIC_LENGTH;
        int maxTopicsPerUpdate = HubConfig.DEFAULT_MAX_TOPICS_PER_UPDATE;
        long maxBacklogBytes = HubConfig.DEFAULT_MAX_BACKLOG_BYTES;
        Duration maxStallTime = HubConfig.DEFAULT_MAX_STALL_TIME;
        int maxConflationKeys = HubConfig.DEFAULT_MAX_CONFLATION_KEYS;
        Duration flushDelay = HubConfig.DEFAULT_FLUSH_DELAY;
        Duration maxStreamLifetime = HubConfig.DEFAULT_MAX_STREAM_LIFETIME;
        Duration shutdownRetry = HubConfig.DEFAULT_SHUTDOWN_RETRY;
        Duration shutdownTimeout = HubConfig.DEFAULT_SHUTDOWN_TIMEOUT;
        int eventLoopThreads = HubConfig.DEFAULT_EVENT_LOOP_THREADS;
        boolean anonymous;
        String publisherJwtKey;
        String publisherJwtAlgorithm = HubConfig.DEFAULT_JWT_ALGORITHM;
        String subscriberJwtKey;
        String subscriberJwtAlgorithm = HubConfig.DEFAULT_JWT_ALGORITHM;
        String jwtIssuer = HubConfig.DEFAULT_JWT_ISSUER;
        String jwtAudience;
        java.util.List<String> corsOrigins = java.util.List.of();
        java.util.List<String> publishOrigins = java.util.List.of();
        final java.util.List<JwtIssuer> publisherIssuers = new java.util.ArrayList<>();
        final java.util.List<JwtIssuer> subscriberIssuers = new java.util.ArrayList<>();
        URI publisherJwksUrl;
        URI subscriberJwksUrl;
        int maxConnections = HubConfig.DEFAULT_MAX_CONNECTIONS;
        int maxConnectionsPerIp = HubConfig.DEFAULT_MAX_CONNECTIONS_PER_IP;
        int maxStreamsPerSubject = HubConfig.DEFAULT_MAX_STREAMS_PER_SUBJECT;
        Duration headerTimeout = HubConfig.DEFAULT_HEADER_TIMEOUT;
        Duration idleTimeout = HubConfig.DEFAULT_IDLE_TIMEOUT;
        int maxRequestLineLength = HubConfig.DEFAULT_MAX_REQUEST_LINE_LENGTH;
        int maxHeaderSize = HubConfig.DEFAULT_MAX_HEADER_SIZE;
        Path tlsCertificate;
        Path tlsPrivateKey;
        boolean ui = HubConfig.DEFAULT_UI;
        boolean demo;
        String uiToken;
        boolean subscriptions = HubConfig.DEFAULT_SUBSCRIPTIONS;
        Compat compat = HubConfig.DEFAULT_COMPAT;
        Duration ticketTtl = HubConfig.DEFAULT_TICKET_TTL;
        int maxTickets = HubConfig.DEFAULT_MAX_TICKETS;
        int maxTicketsPerSubject = HubConfig.DEFAULT_MAX_TICKETS_PER_SUBJECT;
        UiTokenMinter uiTokenMinter;

        private Builder() {
        }

        /** Where to listen. Port 0 picks a free port (see {@link Hub#address()}). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder hubPath(String hubPath) {
            Objects.requireNonNull(hubPath, "hubPath");
            if (!hubPath.startsWith("/") || hubPath.length() > 1 && hubPath.endsWith("/")) {
                throw new IllegalArgumentException("hubPath: " + hubPath + " (expected: starts with /, no trailing /)");
            }
            this.hubPath = hubPath;
            return this;
        }

        /** The hub's public URL (base of relative topics, default audience). Default: {@code http://localhost:PORT/HUBPATH}. */
        public Builder publicUrl(URI publicUrl) {
            this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = positive(heartbeat, "heartbeat");
            return this;
        }

        /**
         * Which built-in history to use: {@link HistoryKind#SQLITE} (default: durable, in
         * {@link #dataDir}) or {@link HistoryKind#MEMORY}. Ignored when {@link #historyStore} is given.
         */
        public Builder history(HistoryKind kind) {
            this.historyKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Directory of the SQLite history; created if missing. Default: {@code ./herald-data}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** When the SQLite history counts a publish as stored (see {@link Durability}). Default: batch. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** Most updates the built-in history keeps; the oldest go first. */
        public Builder historyMaxEvents(long maxEvents) {
            if (maxEvents <= 0) {
                throw new IllegalArgumentException("historyMaxEvents: " + maxEvents + " (expected: > 0)");
            }
            this.historyMaxEvents = maxEvents;
            return this;
        }

        /** Same as {@link #historyMaxEvents}. */
        public Builder historySize(int historySize) {
            return historyMaxEvents(positive(historySize, "historySize"));
        }

        /** Oldest update the built-in history keeps. */
        public Builder historyMaxAge(Duration maxAge) {
            this.historyMaxAge = positive(maxAge, "historyMaxAge");
            return this;
        }

        /** Most bytes of updates (their SSE frames and topics) the built-in history keeps. */
        public Builder historyMaxBytes(long maxBytes) {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("historyMaxBytes: " + maxBytes + " (expected: > 0)");
            }
            this.historyMaxBytes = maxBytes;
            return this;
        }

        /**
         * Uses {@code store} as the history instead of a built-in one; the hub closes it when it
         * closes. See {@link HistoryStore} for the contract, including {@link HistoryStore#isBlocking()}.
         */
        public Builder historyStore(HistoryStore store) {
            this.historyStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Makes this hub one of several acting as one: updates go through the shared log at
         * {@code uri} ({@code redis://host:6379}, {@code rediss://…}, {@code redis-sentinel://…} with
         * {@code herald-redis} on the class path), which also keeps the history every hub replays
         * from; {@link #history}, {@link #dataDir}, {@link #durability} and {@link #historyStore} are
         * then not used, the {@code historyMax…} settings apply to the shared history. Default: none,
         * a hub of its own with the SQLite history.
         */
        public Builder transport(URI uri) {
            this.transportUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Like {@link #transport(URI)} with a transport of the embedding program's; the hub closes it
         * when it closes. See {@link UpdateTransport} for the contract.
         */
        public Builder transport(UpdateTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public Builder maxDataBytes(int maxDataBytes) {
            this.maxDataBytes = positive(maxDataBytes, "maxDataBytes");
            return this;
        }

        public Builder maxMatchers(int maxMatchers) {
            this.maxMatchers = positive(maxMatchers, "maxMatchers");
            return this;
        }

        public Builder maxTopicLength(int maxTopicLength) {
            this.maxTopicLength = positive(maxTopicLength, "maxTopicLength");
            return this;
        }

        public Builder maxTopicsPerUpdate(int maxTopicsPerUpdate) {
            this.maxTopicsPerUpdate = positive(maxTopicsPerUpdate, "maxTopicsPerUpdate");
            return this;
        }

        public Builder maxBacklogBytes(long maxBacklogBytes) {
            if (maxBacklogBytes <= 0) {
                throw new IllegalArgumentException("maxBacklogBytes: " + maxBacklogBytes + " (expected: > 0)");
            }
            this.maxBacklogBytes = maxBacklogBytes;
            return this;
        }

        public Builder maxStallTime(Duration maxStallTime) {
            this.maxStallTime = positive(maxStallTime, "maxStallTime");
            return this;
        }

        /**
         * Most conflation keys a conflating subscriber holds back per pending list; updates with keys
         * beyond it are queued without conflation. Default {@link HubConfig#DEFAULT_MAX_CONFLATION_KEYS}.
         */
        public Builder maxConflationKeys(int maxConflationKeys) {
            this.maxConflationKeys = positive(maxConflationKeys, "maxConflationKeys");
            return this;
        }

        /**
         * The longest wait between two flushes of an event loop's streams (default 20 ms). A loop
         * waits eight times as long as its last flush took, at most this: events published faster
         * reach a stream in one write, for up to this much latency; an event after a quieter
         * interval is flushed at once. {@link Duration#ZERO} flushes every event
         * as soon as it is written. At most {@link HubConfig#MAX_FLUSH_DELAY}.
         */
        public Builder flushDelay(Duration flushDelay) {
            Objects.requireNonNull(flushDelay, "flushDelay");
            if (flushDelay.isNegative() || flushDelay.compareTo(HubConfig.MAX_FLUSH_DELAY) > 0) {
                throw new IllegalArgumentException("flushDelay: " + flushDelay + " (expected: 0 to "
                        + HubConfig.MAX_FLUSH_DELAY.toSeconds() + "s)");
            }
            this.flushDelay = flushDelay;
            return this;
        }

        /** How long a stream may stay open before the hub closes it (the client reconnects and resumes). */
        public Builder maxStreamLifetime(Duration maxStreamLifetime) {
            this.maxStreamLifetime = positive(maxStreamLifetime, "maxStreamLifetime");
            return this;
        }

        public Builder shutdownRetry(Duration shutdownRetry) {
            this.shutdownRetry = positive(shutdownRetry, "shutdownRetry");
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        public Builder eventLoopThreads(int eventLoopThreads) {
            this.eventLoopThreads = positive(eventLoopThreads, "eventLoopThreads");
            return this;
        }

        /** Whether subscribers without a token are accepted. Default: no. */
        public Builder anonymous(boolean anonymous) {
            this.anonymous = anonymous;
            return this;
        }

        /** The key publisher tokens are verified with: an HMAC secret, or a PEM public key. */
        public Builder publisherJwtKey(String key) {
            this.publisherJwtKey = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder publisherJwtAlgorithm(String algorithm) {
            this.publisherJwtAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** The key subscriber tokens are verified with. Default: the publisher key. */
        public Builder subscriberJwtKey(String key) {
            this.subscriberJwtKey = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder subscriberJwtAlgorithm(String algorithm) {
            this.subscriberJwtAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        public Builder jwtIssuer(String issuer) {
            this.jwtIssuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** The hub's resource identifier (expected {@code aud}). Default: the public URL. */
        public Builder jwtAudience(String audience) {
            this.jwtAudience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * Origins allowed to use the hub from a browser page (CORS): exact {@code scheme://host[:port]}
         * values, echoed back with {@code Access-Control-Allow-Credentials: true}; or {@code *} for any
         * origin without credentials. Never reflected from an arbitrary origin (Mercure §"Subscription").
         */
        public Builder corsOrigins(java.util.List<String> origins) {
            for (String o : origins) {
                Objects.requireNonNull(o, "origin");
                if (!o.equals("*") && !o.matches("https?://[^/?#\\s*]+")) {
                    throw new IllegalArgumentException("cors origin: " + o + " (expected: * or scheme://host[:port])");
                }
            }
            this.corsOrigins = java.util.List.copyOf(origins);
            return this;
        }

        /**
         * Origins ({@code scheme://host[:port]}) besides the public URL's own from which a publish
         * authenticated by cookie is accepted; the request's {@code Origin}, or else its
         * {@code Referer}, must name one of them, or it gets 403 (CSRF protection, Mercure
         * §"Security Considerations"). Publishes with an {@code Authorization} header are not checked.
         */
        public Builder publishOrigins(java.util.List<String> origins) {
            for (String o : Objects.requireNonNull(origins, "origins")) {
                Objects.requireNonNull(o, "origin");
                if (!o.matches("https?://[^/?#\\s*]+")) {
                    throw new IllegalArgumentException("publish origin: " + o + " (expected: scheme://host[:port])");
                }
            }
            this.publishOrigins = java.util.List.copyOf(origins);
            return this;
        }

        /**
         * Also trusts {@code issuer} for publisher tokens, besides the shorthand issuer
         * ({@link #jwtIssuer} with {@link #publisherJwtKey} / {@link #publisherJwksUrl}). Call once per issuer.
         */
        public Builder publisherIssuer(JwtIssuer issuer) {
            publisherIssuers.add(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        /**
         * Also trusts {@code issuer} for subscriber tokens. When no subscriber issuer, key or JWK Set
         * is configured, subscriber tokens are verified with the publisher issuers.
         */
        public Builder subscriberIssuer(JwtIssuer issuer) {
            subscriberIssuers.add(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        /** A JWK Set (https, or http on loopback) the shorthand issuer's publisher tokens may be verified with. */
        public Builder publisherJwksUrl(URI url) {
            this.publisherJwksUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** A JWK Set the shorthand issuer's subscriber tokens may be verified with. */
        public Builder subscriberJwksUrl(URI url) {
            this.subscriberJwksUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Most connections open at once (503 with {@code Retry-After} beyond). */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = positive(maxConnections, "maxConnections");
            return this;
        }

        /** Most connections from one client IP address (429 with {@code Retry-After} beyond). */
        public Builder maxConnectionsPerIp(int maxConnectionsPerIp) {
            this.maxConnectionsPerIp = positive(maxConnectionsPerIp, "maxConnectionsPerIp");
            return this;
        }

        /** Most event streams under one token subject (429 with {@code Retry-After} beyond). */
        public Builder maxStreamsPerSubject(int maxStreamsPerSubject) {
            this.maxStreamsPerSubject = positive(maxStreamsPerSubject, "maxStreamsPerSubject");
            return this;
        }

        /** Time a connection has to send its complete request headers (slowloris protection). */
        public Builder headerTimeout(Duration headerTimeout) {
            this.headerTimeout = positive(headerTimeout, "headerTimeout");
            return this;
        }

        /** Time a connection that is not an event stream may stay idle before it is closed. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /** Longest request line accepted, in bytes (414 beyond). */
        public Builder maxRequestLineLength(int maxRequestLineLength) {
            this.maxRequestLineLength = positive(maxRequestLineLength, "maxRequestLineLength");
            return this;
        }

        /** Largest request header section accepted, in bytes (431 beyond). */
        public Builder maxHeaderSize(int maxHeaderSize) {
            this.maxHeaderSize = positive(maxHeaderSize, "maxHeaderSize");
            return this;
        }

        /** Serves HTTPS (HTTP/2 via ALPN, and HTTP/1.1) with this PEM certificate chain and private key. */
        public Builder tls(Path certificate, Path privateKey) {
            this.tlsCertificate = Objects.requireNonNull(certificate, "certificate");
            this.tlsPrivateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** Whether to serve the web UI: the overview at {@code /} and the demos at {@code /demo/*}. Default: yes. */
        public Builder ui(boolean ui) {
            this.ui = ui;
            return this;
        }

        /**
         * Whether to run the demo publisher, which feeds the demo pages' topics (under
         * {@code https://demo.herald.dev/}) with a few dozen updates a second until the hub closes.
         * Default: no.
         */
        public Builder demo(boolean demo) {
            this.demo = demo;
            return this;
        }

        /**
         * A token the web UI hands to any page that asks, so that its publish form and private demo
         * topics work without pasting one. Development only: whoever reaches the hub gets it.
         */
        public Builder uiToken(String token) {
            this.uiToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Whether to track active subscriptions (Mercure §"Active Subscriptions", Mercure's
         * {@code subscriptions} directive): a private subscription event, of type {@code mercure}, on
         * {@code HUBPATH/subscriptions/{match_type}/{match}/{subscriber}} whenever a subscription starts
         * or ends, and the Subscription API at {@code HUBPATH/subscriptions}. Default: no, since it
         * exposes presence to whoever a token lets read it.
         */
        public Builder subscriptions(boolean subscriptions) {
            this.subscriptions = subscriptions;
            return this;
        }

        /**
         * Also speaks an earlier protocol: {@link Compat#V0X} accepts the pre-1.0 Mercure forms (topic
         * selectors, {@code mercure} claim tokens, the {@code authorization} parameter and the
         * {@code mercureAuthorization} cookie, {@code lastEventID}) beside the 1.0 ones. Default: none.
         */
        public Builder compat(Compat compat) {
            this.compat = Objects.requireNonNull(compat, "compat");
            return this;
        }

        /**
         * How long a stream ticket ({@code POST {hub}/tickets}) stays redeemable, at most
         * {@link HubConfig#MAX_TICKET_TTL}. Default: {@link HubConfig#DEFAULT_TICKET_TTL}.
         */
        public Builder ticketTtl(Duration ticketTtl) {
            positive(ticketTtl, "ticketTtl");
            if (ticketTtl.compareTo(HubConfig.MAX_TICKET_TTL) > 0) {
                throw new IllegalArgumentException("ticketTtl: " + ticketTtl + " (expected: <= "
                        + HubConfig.MAX_TICKET_TTL + ")");
            }
            this.ticketTtl = ticketTtl;
            return this;
        }

        /** Most stream tickets issued within one ticket lifetime, all subjects together (503 beyond). */
        public Builder maxTickets(int maxTickets) {
            this.maxTickets = positive(maxTickets, "maxTickets");
            return this;
        }

        /** Most stream tickets issued within one ticket lifetime under one token subject (429 beyond). */
        public Builder maxTicketsPerSubject(int maxTicketsPerSubject) {
            this.maxTicketsPerSubject = positive(maxTicketsPerSubject, "maxTicketsPerSubject");
            return this;
        }

        /**
         * A minter the web UI's overview offers to anyone who reaches the hub ({@code POST /ui/api/token}).
         * Development only, like {@link #uiToken}; default: none, and the route answers 404.
         */
        public Builder uiTokenMinter(UiTokenMinter minter) {
            this.uiTokenMinter = Objects.requireNonNull(minter, "minter");
            return this;
        }

        /** The configuration. */
        public HubConfig config() {
            return new HubConfig(this);
        }

        /** The hub, not yet started. */
        public Hub build() {
            return new Hub(config());
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
