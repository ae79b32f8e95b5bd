package dev.herald.cli;

import dev.herald.hub.Compat;
import dev.herald.hub.Durability;
import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code herald serve}: runs the hub until interrupted. Every option also reads a
 * {@code HERALD_…} environment variable; option names mirror Mercure's configuration directives.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the hub.",
        footer = {"",
                "Examples:",
                "  herald serve --dev           # first run: prints a key and a publisher token",
                "  herald serve --addr :8080 --publisher-jwt-key \"$KEY\" --anonymous",
                "  HERALD_PUBLISHER_JWT_KEY=... herald serve --cert cert.pem --key key.pem",
                "  herald serve --transport redis://redis.internal:6379 \\",
                "      --publisher-jwt-key \"$KEY\"       # one of several hubs sharing one Redis",
                "  herald serve --publisher-jwt-key @pub.pem --publisher-jwt-alg ES256 \\",
                "      --subscriber-issuer \\",
                "        https://auth.example.com=jwks:https://auth.example.com/jwks.json \\",
                "      --cors-origins https://app.example.com \\",
                "      --publish-origins https://admin.example.com",
                "  herald serve --config /etc/herald/herald.toml --print-config",
                "",
                "Every option may also be set by the environment variable HERALD_<NAME>",
                "(--max-data-bytes: HERALD_MAX_DATA_BYTES) or in the TOML file of --config as",
                "<name> = value (max-data-bytes = 1048576). A flag wins over the environment,",
                "the environment over the file. See docs/configuration.md."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--addr", defaultValue = "${env:HERALD_ADDR:-:8080}", converter = Converters.AddressConverter.class,
            description = "Listen address, HOST:PORT or :PORT (env HERALD_ADDR, default: ${DEFAULT-VALUE}).")
    InetSocketAddress address;

    @Option(names = "--public-url", defaultValue = "${env:HERALD_PUBLIC_URL}",
            description = "The hub's public URL: base of relative topics and default token audience "
                    + "(env HERALD_PUBLIC_URL, default: http://localhost:PORT/.well-known/mercure).")
    String publicUrl;

    @Option(names = "--publisher-jwt-key", defaultValue = "${env:HERALD_PUBLISHER_JWT_KEY}",
            description = "Key publisher tokens of --jwt-issuer are verified with: HMAC secret or PEM public key, "
                    + "or @FILE to read it from a file (env HERALD_PUBLISHER_JWT_KEY).")
    String publisherJwtKey;

    @Option(names = "--publisher-jwt-alg", defaultValue = "${env:HERALD_PUBLISHER_JWT_ALG:-HS256}",
            description = "Algorithm of the publisher key (env HERALD_PUBLISHER_JWT_ALG, default: ${DEFAULT-VALUE}).")
    String publisherJwtAlgorithm;

    @Option(names = "--subscriber-jwt-key", defaultValue = "${env:HERALD_SUBSCRIBER_JWT_KEY}",
            description = "Key subscriber tokens of --jwt-issuer are verified with, or @FILE (env HERALD_SUBSCRIBER_JWT_KEY, "
                    + "default: the publisher key).")
    String subscriberJwtKey;

    @Option(names = "--subscriber-jwt-alg", defaultValue = "${env:HERALD_SUBSCRIBER_JWT_ALG:-HS256}",
            description = "Algorithm of the subscriber key (env HERALD_SUBSCRIBER_JWT_ALG, default: ${DEFAULT-VALUE}).")
    String subscriberJwtAlgorithm;

    @Option(names = "--jwt-issuer", defaultValue = "${env:HERALD_JWT_ISSUER:-herald}",
            description = "Issuer (iss) tokens must carry (env HERALD_JWT_ISSUER, default: ${DEFAULT-VALUE}).")
    String jwtIssuer;

    @Option(names = "--jwt-audience", defaultValue = "${env:HERALD_JWT_AUDIENCE}",
            description = "The hub's resource identifier, required in tokens' aud (env HERALD_JWT_AUDIENCE, default: the public URL).")
    String jwtAudience;

    @Option(names = "--publisher-jwks-url", defaultValue = "${env:HERALD_PUBLISHER_JWKS_URL}",
            description = "JWK Set URL (https, or http on loopback) publisher tokens of --jwt-issuer may also be verified "
                    + "with; fetched, cached and rotated (env HERALD_PUBLISHER_JWKS_URL).")
    String publisherJwksUrl;

    @Option(names = "--subscriber-jwks-url", defaultValue = "${env:HERALD_SUBSCRIBER_JWKS_URL}",
            description = "JWK Set URL subscriber tokens of --jwt-issuer may be verified with (env HERALD_SUBSCRIBER_JWKS_URL).")
    String subscriberJwksUrl;

    @Option(names = "--publisher-issuer", paramLabel = "ISS=KIND:VALUE", split = "\\s+",
            defaultValue = "${env:HERALD_PUBLISHER_ISSUERS}",
            description = "Another trusted issuer of publisher tokens, repeatable: ISS=hmac:SECRET|@FILE, ISS=pem:@FILE, "
                    + "ISS=jwks:URL, optionally KIND+ALG,ALG:VALUE to narrow the algorithms (env HERALD_PUBLISHER_ISSUERS, "
                    + "whitespace-separated).")
    List<String> publisherIssuers;

    @Option(names = "--subscriber-issuer", paramLabel = "ISS=KIND:VALUE", split = "\\s+",
            defaultValue = "${env:HERALD_SUBSCRIBER_ISSUERS}",
            description = "Another trusted issuer of subscriber tokens, repeatable, as --publisher-issuer "
                    + "(env HERALD_SUBSCRIBER_ISSUERS).")
    List<String> subscriberIssuers;

    @Option(names = "--cors-origins", split = ",", paramLabel = "ORIGIN", defaultValue = "${env:HERALD_CORS_ORIGINS}",
            description = "Origins whose pages may use the hub (CORS), comma-separated scheme://host[:port]; "
                    + "* for any origin without credentials (env HERALD_CORS_ORIGINS, default: none).")
    List<String> corsOrigins;

    @Option(names = "--publish-origins", split = ",", paramLabel = "ORIGIN", defaultValue = "${env:HERALD_PUBLISH_ORIGINS}",
            description = "Origins besides the public URL's a publish authenticated by cookie may come from (CSRF check "
                    + "on Origin/Referer), comma-separated (env HERALD_PUBLISH_ORIGINS, default: none).")
    List<String> publishOrigins;

    @Option(names = "--max-connections", defaultValue = "${env:HERALD_MAX_CONNECTIONS:-100000}",
            description = "Most connections open at once; more get 503 (env HERALD_MAX_CONNECTIONS, default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", defaultValue = "${env:HERALD_MAX_CONNECTIONS_PER_IP:-10000}",
            description = "Most connections from one client address; more get 429. Raise it behind a reverse proxy "
                    + "(env HERALD_MAX_CONNECTIONS_PER_IP, default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp;

    @Option(names = "--max-streams-per-subject", defaultValue = "${env:HERALD_MAX_STREAMS_PER_SUBJECT:-1000}",
            description = "Most event streams under one token subject (iss, sub); more get 429 "
                    + "(env HERALD_MAX_STREAMS_PER_SUBJECT, default: ${DEFAULT-VALUE}).")
    int maxStreamsPerSubject;

    @Option(names = "--header-timeout", defaultValue = "${env:HERALD_HEADER_TIMEOUT:-10s}",
            converter = Converters.DurationConverter.class,
            description = "Time a connection has to send its request headers; then 408 and close "
                    + "(env HERALD_HEADER_TIMEOUT, default: ${DEFAULT-VALUE}).")
    Duration headerTimeout;

    @Option(names = "--idle-timeout", defaultValue = "${env:HERALD_IDLE_TIMEOUT:-60s}",
            converter = Converters.DurationConverter.class,
            description = "Time a connection that is not an event stream may stay idle (env HERALD_IDLE_TIMEOUT, "
                    + "default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-conflation-keys", defaultValue = "${env:HERALD_MAX_CONFLATION_KEYS:-1000}",
            description = "Most conflation keys a conflating subscriber holds back; updates with more keys are "
                    + "queued without conflation (env HERALD_MAX_CONFLATION_KEYS, default: ${DEFAULT-VALUE}).")
    int maxConflationKeys;

    @Option(names = "--max-matchers", defaultValue = "${env:HERALD_MAX_MATCHERS:-100}",
            description = "Most topic matchers in one subscription; more get 400 (env HERALD_MAX_MATCHERS, "
                    + "default: ${DEFAULT-VALUE}).")
    int maxMatchers;

    @Option(names = "--max-topic-length", defaultValue = "${env:HERALD_MAX_TOPIC_LENGTH:-2048}",
            description = "Longest topic or matcher pattern, in characters; longer gets 400 or 413 "
                    + "(env HERALD_MAX_TOPIC_LENGTH, default: ${DEFAULT-VALUE}).")
    int maxTopicLength;

    @Option(names = "--max-request-line", defaultValue = "${env:HERALD_MAX_REQUEST_LINE:-8192}",
            description = "Longest request line, in bytes; longer gets 414 (env HERALD_MAX_REQUEST_LINE, "
                    + "default: ${DEFAULT-VALUE}).")
    int maxRequestLine;

    @Option(names = "--max-header-size", defaultValue = "${env:HERALD_MAX_HEADER_SIZE:-16384}",
            description = "Largest request header section, in bytes; larger gets 431 (env HERALD_MAX_HEADER_SIZE, "
                    + "default: ${DEFAULT-VALUE}).")
    int maxHeaderSize;

    @Option(names = "--anonymous", defaultValue = "${env:HERALD_ANONYMOUS:-false}",
            description = "Accept subscribers without a token; they never get private updates (env HERALD_ANONYMOUS).")
    boolean anonymous;

    @Option(names = "--heartbeat", defaultValue = "${env:HERALD_HEARTBEAT:-30s}", converter = Converters.DurationConverter.class,
            description = "Idle time before a keep-alive comment (env HERALD_HEARTBEAT, default: ${DEFAULT-VALUE}).")
    Duration heartbeat;

    @Option(names = "--flush-delay", defaultValue = "${env:HERALD_FLUSH_DELAY:-20ms}",
            converter = Converters.DurationConverter.class,
            description = "Longest wait between two flushes of the streams (8 times the last flush's "
                    + "time, at most this): events published faster reach a stream in one write, for at "
                    + "most this much latency; 0 flushes every event at once "
                    + "(env HERALD_FLUSH_DELAY, default: ${DEFAULT-VALUE}).")
    Duration flushDelay;

    @Option(names = "--history", defaultValue = "${env:HERALD_HISTORY:-sqlite}",
            description = "History store: sqlite (durable, in --data-dir) or memory (lost on restart) "
                    + "(env HERALD_HISTORY, default: ${DEFAULT-VALUE}).")
    String history;

    @Option(names = "--transport", defaultValue = "${env:HERALD_TRANSPORT}", paramLabel = "URI",
            description = "Run as one of several hubs acting as one over Redis: redis://[user:password@]host[:port][/db], "
                    + "rediss://... (TLS) or redis-sentinel://host[:port][,host2[:port2]][/db]#master, with ?prefix=NAME "
                    + "to share one Redis between clusters (default prefix: herald). The shared Redis stream is then "
                    + "the history: --history, --data-dir and --durability are not used, the --history-max-* bounds "
                    + "apply to it (env HERALD_TRANSPORT, default: none).")
    String transport;

    @Option(names = "--data-dir", defaultValue = "${env:HERALD_DATA_DIR:-herald-data}",
            description = "Directory of the sqlite history, created if missing; one hub per directory "
                    + "(env HERALD_DATA_DIR, default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--durability", defaultValue = "${env:HERALD_DURABILITY:-batch}",
            description = "When a publish is acknowledged: batch = written to the OS, flushed to disk about every "
                    + "second (survives a hub crash; a power loss may lose the last second); fsync = flushed to disk "
                    + "first (survives a power loss; fewer publishes/s) (env HERALD_DURABILITY, default: ${DEFAULT-VALUE}).")
    String durability;

    @Option(names = {"--history-max-events", "--history-size"},
            defaultValue = "${env:HERALD_HISTORY_MAX_EVENTS:-100000}",
            description = "Most updates the history keeps; the oldest go first (env HERALD_HISTORY_MAX_EVENTS, "
                    + "default: ${DEFAULT-VALUE}).")
    long historyMaxEvents;

    @Option(names = "--history-max-age", defaultValue = "${env:HERALD_HISTORY_MAX_AGE:-7d}",
            converter = Converters.DurationConverter.class,
            description = "Oldest update the history keeps; a subscriber away longer gets a herald-reset event "
                    + "(env HERALD_HISTORY_MAX_AGE, default: ${DEFAULT-VALUE}).")
    Duration historyMaxAge;

    @Option(names = "--history-max-bytes", defaultValue = "${env:HERALD_HISTORY_MAX_BYTES:-256MiB}",
            converter = Converters.ByteSizeConverter.class,
            description = "Most bytes of updates the history keeps, e.g. 64MiB, 2GiB (env HERALD_HISTORY_MAX_BYTES, "
                    + "default: ${DEFAULT-VALUE}).")
    long historyMaxBytes;

    @Option(names = "--max-data-bytes", defaultValue = "${env:HERALD_MAX_DATA_BYTES:-1048576}",
            description = "Largest update data accepted, in bytes; more gets 413 (env HERALD_MAX_DATA_BYTES, default: ${DEFAULT-VALUE}).")
    int maxDataBytes;

    @Option(names = "--cert", defaultValue = "${env:HERALD_CERT}",
            description = "PEM certificate chain: serve HTTPS with HTTP/2 (env HERALD_CERT).")
    Path certificate;

    @Option(names = "--key", defaultValue = "${env:HERALD_KEY}", description = "PEM private key for --cert (env HERALD_KEY).")
    Path privateKey;

    @Option(names = "--dev", description = "First-run mode: listens on 127.0.0.1 unless an address is given; "
            + "anonymous subscribers, active subscriptions, the demos, and a generated HMAC key (unless one is given) "
            + "printed with a publisher token (env HERALD_DEV).")
    boolean dev;

    @Option(names = "--demo", defaultValue = "${env:HERALD_DEMO:-false}",
            description = "Run the demo publisher feeding the web UI's demos at /demo/* (always on with --dev) "
                    + "(env HERALD_DEMO).")
    boolean demo;

    @Option(names = "--subscriptions", defaultValue = "${env:HERALD_SUBSCRIPTIONS:-false}",
            description = "Track active subscriptions: publish a private subscription event when a subscription starts "
                    + "or ends, and serve the Subscription API under HUBPATH/subscriptions (always on with --dev) "
                    + "(env HERALD_SUBSCRIPTIONS).")
    boolean subscriptions;

    @Option(names = "--no-ui", negatable = false, defaultValue = "${env:HERALD_NO_UI:-false}",
            description = "Do not serve the web UI (/, /demo/*, /ui/*); /metrics stays (env HERALD_NO_UI).")
    boolean noUi;

    @Option(names = "--compat", defaultValue = "${env:HERALD_COMPAT:-none}", paramLabel = "none|0.x",
            description = "Also speak an earlier protocol: 0.x accepts the pre-1.0 Mercure forms (topic selectors, "
                    + "mercure-claim tokens, the authorization parameter and mercureAuthorization cookie, lastEventID) "
                    + "beside the 1.0 ones (env HERALD_COMPAT, default: ${DEFAULT-VALUE}).")
    String compat;

    @Option(names = "--ticket-ttl", defaultValue = "${env:HERALD_TICKET_TTL:-30s}",
            converter = Converters.DurationConverter.class,
            description = "How long a stream ticket (POST {hub}/tickets) stays redeemable, at most 5m "
                    + "(env HERALD_TICKET_TTL, default: ${DEFAULT-VALUE}).")
    Duration ticketTtl;

    @Option(names = "--max-tickets", defaultValue = "${env:HERALD_MAX_TICKETS:-100000}",
            description = "Most stream tickets issued within one ticket lifetime; more get 503 "
                    + "(env HERALD_MAX_TICKETS, default: ${DEFAULT-VALUE}).")
    int maxTickets;

    @Option(names = "--max-tickets-per-subject", defaultValue = "${env:HERALD_MAX_TICKETS_PER_SUBJECT:-100}",
            description = "Most stream tickets issued within one ticket lifetime under one token subject; more get 429 "
                    + "(env HERALD_MAX_TICKETS_PER_SUBJECT, default: ${DEFAULT-VALUE}).")
    int maxTicketsPerSubject;

    @Option(names = "--log-format", defaultValue = "text",
            description = "Log format on standard error: text (one line per event) or json (one JSON object per line) "
                    + "(env HERALD_LOG_FORMAT, default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--log-level", defaultValue = "INFO",
            description = "Level of Herald's own log: ERROR, WARN, INFO, DEBUG or TRACE "
                    + "(env HERALD_LOG_LEVEL, default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--config", paramLabel = "FILE",
            description = "TOML configuration file, keys named after these options (env HERALD_CONFIG); flags and "
                    + "HERALD_* variables override it.")
    Path config;

    @Option(names = "--print-config",
            description = "Print the effective configuration and where each value comes from (secrets masked), and exit.")
    boolean printConfig;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        SettingsProvider settings = SettingsProvider.of(spec);
        settings.check();
        List<String> unknownEnv = settings.unknownEnvironment();
        if (!unknownEnv.isEmpty()) {
            System.err.println("herald: warning: ignoring unknown environment variable" + (unknownEnv.size() > 1 ? "s " : " ")
                    + String.join(", ", unknownEnv));
        }
        boolean defaultAddress = isDefault(settings, "addr");
        if (printConfig) {
            // a dry run: the same checks as a start, so a configuration that prints is one that starts
            ConfigurationException invalid = null;
            try {
                configure(defaultAddress);
            } catch (ConfigurationException e) {
                invalid = e;
            }
            EffectiveConfig.print(settings, System.out, implied(settings, defaultAddress));
            if (invalid != null) {
                throw invalid;
            }
            return 0;
        }
        Configured configured = configure(defaultAddress);
        Logging.configure(logFormat, logLevel);
        warnAboutPublicUrlPath(configured.builder().config());
        Hub hub;
        try {
            hub = configured.builder().build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        try {
            hub.start();
        } catch (HubStartException e) {
            throw new ConfigurationException(startFailure(e, hub.config().address()), e);
        }
        if (dev) {
            printDevCredentials(hub, configured.key());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hub.close();
            stopped.countDown();
        }, "herald-shutdown"));
        stopped.await();
        return 0;
    }

    /** The builder of the configured hub, and the publisher key (generated in {@code --dev} when none is given). */
    private record Configured(Hub.Builder builder, String key) {
    }

    /**
     * Every check {@code serve} makes before it binds, each naming its {@code --flag}.
     *
     * @throws ConfigurationException for any bad value, with exit code 2
     */
    private Configured configure(boolean defaultAddress) {
        try {
            return configureChecked(defaultAddress);
        } catch (IllegalArgumentException e) { // a check of Hub.Builder the CLI does not repeat
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private Configured configureChecked(boolean defaultAddress) {
        Logging.check(logFormat, logLevel);
        Hub.Builder builder = Hub.builder()
                .address(effectiveAddress(defaultAddress))
                .heartbeat(positive(heartbeat, "--heartbeat"))
                .flushDelay(flushDelay(flushDelay))
                .jwtIssuer(jwtIssuer)
                .publisherJwtAlgorithm(publisherJwtAlgorithm)
                .subscriberJwtAlgorithm(subscriberJwtAlgorithm)
                .maxDataBytes(positive(maxDataBytes, "--max-data-bytes"))
                .anonymous(anonymous || dev);
        configureHistory(builder);
        if (transport != null && !transport.isBlank()) {
            builder.transport(parseTransport(transport.strip()));
        }
        if (publicUrl != null) {
            builder.publicUrl(parseUrl(publicUrl));
        }
        if (jwtAudience != null) {
            builder.jwtAudience(jwtAudience);
        }
        String key = publisherJwtKey;
        if (key == null && dev) {
            if (!publisherJwtAlgorithm.toUpperCase(Locale.ROOT).startsWith("HS")) {
                throw new ConfigurationException("--dev: generates an HMAC key, not a " + publisherJwtAlgorithm
                        + " key: give --publisher-jwt-key, or leave --publisher-jwt-alg at HS256");
            }
            key = randomKey();
        }
        if (key != null) {
            key = KeyOptions.key(key, "--publisher-jwt-key");
            builder.publisherJwtKey(key);
        }
        if (subscriberJwtKey != null) {
            builder.subscriberJwtKey(KeyOptions.key(subscriberJwtKey, "--subscriber-jwt-key"));
        }
        configureSecurity(builder);
        configureCompatAndTickets(builder);
        if ((certificate == null) != (privateKey == null)) {
            throw new ConfigurationException("--cert and --key must be given together");
        }
        if (certificate != null) {
            builder.tls(certificate, privateKey);
        }
        builder.ui(!noUi).demo(demo || dev).subscriptions(subscriptions || dev);
        if (dev && !noUi) { // the UI hands this token to its pages: the publish form and private demos work
            String audience = builder.config().jwtAudience();
            builder.uiToken(devToken(key, audience));
            String signingKey = key;
            builder.uiTokenMinter((publish, subscribe, urlPatterns, lifetime, subject) -> TokenMinter.mint(signingKey,
                    publisherJwtAlgorithm, jwtIssuer, audience, subject, publish, subscribe, urlPatterns, lifetime));
        }
        builder.config(); // HubConfig's own cross-checks, before anything is bound or created
        return new Configured(builder, key);
    }

    /**
     * The address to listen on: {@code --dev} without an address of its own (no {@code --addr},
     * {@code HERALD_ADDR} or file {@code addr}) listens on loopback only, since its web UI hands a
     * publish-and-subscribe token to whoever loads the page (docs/operations.md, development mode).
     */
    InetSocketAddress effectiveAddress(boolean defaultAddress) {
        return dev && defaultAddress ? new InetSocketAddress(DEV_HOST, address.getPort()) : address;
    }

    /** Where {@code --dev} listens when no address is given. */
    static final String DEV_HOST = "127.0.0.1";

    private static boolean isDefault(SettingsProvider settings, String key) {
        return settings.settings().stream().filter(s -> s.key().equals(key))
                .allMatch(s -> settings.source(s) == SettingsProvider.Source.DEFAULT);
    }

    /** What {@code --dev} switches on, for {@code --print-config}: key to TOML value and origin. */
    private Map<String, EffectiveConfig.Implied> implied(SettingsProvider settings, boolean defaultAddress) {
        Map<String, EffectiveConfig.Implied> implied = new LinkedHashMap<>();
        if (!dev) {
            return implied;
        }
        String byDev = "implied by --dev";
        if (defaultAddress) {
            InetSocketAddress a = effectiveAddress(true);
            implied.put("addr", new EffectiveConfig.Implied(EffectiveConfig.quoted(DEV_HOST + ":" + a.getPort()),
                    byDev + " (loopback only)"));
        }
        if (!anonymous) {
            implied.put("anonymous", new EffectiveConfig.Implied("true", byDev));
        }
        if (!demo) {
            implied.put("demo", new EffectiveConfig.Implied("true", byDev));
        }
        if (!subscriptions) {
            implied.put("subscriptions", new EffectiveConfig.Implied("true", byDev));
        }
        if (publisherJwtKey == null) {
            implied.put("publisher-jwt-key", new EffectiveConfig.Implied(EffectiveConfig.quoted(Secrets.MASK),
                    "generated at start-up (--dev)"));
        }
        return implied;
    }

    /**
     * The hub serves at its hub path whatever {@code --public-url} says (there is no option to move
     * it), and its RFC 9728 metadata URL (§3.1) is derived from the hub path: a public URL with another
     * path only works behind a proxy that rewrites it, so say so at start-up.
     */
    private static void warnAboutPublicUrlPath(HubConfig config) {
        String path = config.publicUrl().getRawPath();
        if (!config.hubPath().equals(path == null || path.isEmpty() ? "/" : path)) {
            System.err.println("herald: warning: --public-url path '" + path + "' is not the hub path '" + config.hubPath()
                    + "': the hub serves at " + config.hubPath() + " and advertises metadata for it; a reverse proxy must "
                    + "map " + path + " to " + config.hubPath() + " (docs/hub.md)");
        }
    }

    /** The message of a failed start, without Netty's exception class for the most common cause, a port in use. */
    private static String startFailure(HubStartException e, InetSocketAddress address) {
        for (Throwable t = e; t != null && e.getMessage().startsWith("cannot listen on"); t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof java.net.BindException
                    || m != null && (m.contains("Address already in use") || m.contains("error(-98)"))) {
                return "cannot listen on " + address
                        + ": address already in use (is another server using this port? choose another with --addr)";
            }
        }
        return e.getMessage();
    }

    private String devToken(String key, String audience) {
        return TokenMinter.mint(key, publisherJwtAlgorithm, jwtIssuer, audience, "herald-dev",
                List.of("*"), List.of("*"), false, Duration.ofDays(1));
    }

    private void printDevCredentials(Hub hub, String key) {
        String token = devToken(key, hub.config().jwtAudience());
        System.out.println();
        System.out.println("Development mode: anonymous subscribers are allowed, active subscriptions are tracked. "
                + "Do not use in production.");
        if (hub.config().address().getAddress() != null && hub.config().address().getAddress().isLoopbackAddress()) {
            // the port bound (the one asked for may be 0)
            System.out.println("  listening on loopback only; give --addr :" + hub.url().getPort()
                    + " to be reachable from other machines");
        }
        System.out.println("  publisher JWT key (" + publisherJwtAlgorithm.toUpperCase(Locale.ROOT) + "): " + key);
        System.out.println("  publisher token (24 h, publish and subscribe on every topic):");
        System.out.println("    export HERALD_TOKEN='" + token + "'");
        if (hub.config().ui()) {
            URI base = hub.url().resolve("/");
            System.out.println("  web UI (publish form filled with this token): " + base);
            System.out.println("  demos: " + base + "demo/notifications  " + base + "demo/market  " + base + "demo/news  "
                    + base + "demo/presence");
        }
        System.out.println("  try:");
        System.out.println("    curl -N '" + hub.url() + "?match=*'");
        System.out.println("    curl -H \"Authorization: Bearer $HERALD_TOKEN\" -d topic=https://example.com/hello -d data=hi "
                + hub.url());
        System.out.println();
    }

    private static String randomKey() {
        byte[] bytes = new byte[64]; // 512 bits: long enough for HS512 too (RFC 7518 §3.2)
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static URI parseUrl(String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new ConfigurationException("--public-url: '" + value + "' is not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException("--public-url: '" + value + "' is not a URL: " + e.getReason());
        }
    }

    private static URI parseTransport(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null) {
                throw new ConfigurationException("--transport: not an absolute URI (expected e.g. redis://host:6379)");
            }
            return uri;
        } catch (URISyntaxException e) {
            // the value may hold a password: name the problem, not the value
            throw new ConfigurationException("--transport: not a URI: " + e.getReason() + " at index " + e.getIndex());
        }
    }

    /** Issuers, JWK Sets, CORS and CSRF origins, connection limits and timeouts. */
    private void configureSecurity(Hub.Builder builder) {
        if (publisherJwksUrl != null) {
            builder.publisherJwksUrl(jwksUrl(publisherJwksUrl, "--publisher-jwks-url"));
        }
        if (subscriberJwksUrl != null) {
            builder.subscriberJwksUrl(jwksUrl(subscriberJwksUrl, "--subscriber-jwks-url"));
        }
        for (String spec : nonBlank(publisherIssuers)) {
            builder.publisherIssuer(KeyOptions.issuer(spec, "--publisher-issuer"));
        }
        for (String spec : nonBlank(subscriberIssuers)) {
            builder.subscriberIssuer(KeyOptions.issuer(spec, "--subscriber-issuer"));
        }
        try {
            builder.corsOrigins(nonBlank(corsOrigins))
                    .publishOrigins(nonBlank(publishOrigins))
                    .maxConnections(positive(maxConnections, "--max-connections"))
                    .maxConnectionsPerIp(positive(maxConnectionsPerIp, "--max-connections-per-ip"))
                    .maxStreamsPerSubject(positive(maxStreamsPerSubject, "--max-streams-per-subject"))
                    .headerTimeout(positive(headerTimeout, "--header-timeout"))
                    .idleTimeout(positive(idleTimeout, "--idle-timeout"))
                    .maxMatchers(positive(maxMatchers, "--max-matchers"))
                    .maxConflationKeys(positive(maxConflationKeys, "--max-conflation-keys"))
                    .maxTopicLength(positive(maxTopicLength, "--max-topic-length"))
                    .maxRequestLineLength(positive(maxRequestLine, "--max-request-line"))
                    .maxHeaderSize(positive(maxHeaderSize, "--max-header-size"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    /** Pre-1.0 compatibility and stream tickets. */
    private void configureCompatAndTickets(Hub.Builder builder) {
        try {
            builder.compat(Compat.parse(compat));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--compat: '" + compat + "' (expected: none or 0.x)", e);
        }
        if (ticketTtl.isZero() || ticketTtl.isNegative() || ticketTtl.compareTo(HubConfig.MAX_TICKET_TTL) > 0) {
            throw new ConfigurationException("--ticket-ttl: " + ticketTtl + " (expected: > 0 and <= "
                    + HubConfig.MAX_TICKET_TTL.toMinutes() + "m)");
        }
        builder.ticketTtl(ticketTtl)
                .maxTickets(positive(maxTickets, "--max-tickets"))
                .maxTicketsPerSubject(positive(maxTicketsPerSubject, "--max-tickets-per-subject"));
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static URI jwksUrl(String value, String option) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(option + ": '" + value + "' is not a URL: " + e.getReason());
        }
    }

    private void configureHistory(Hub.Builder builder) {
        switch (history.toLowerCase(Locale.ROOT)) {
            case "sqlite" -> builder.history(HistoryKind.SQLITE);
            case "memory" -> builder.history(HistoryKind.MEMORY);
            default -> throw new ConfigurationException("--history: unknown store '" + history
                    + "' (expected: sqlite or memory)");
        }
        switch (durability.toLowerCase(Locale.ROOT)) {
            case "batch" -> builder.durability(Durability.BATCH);
            case "fsync" -> builder.durability(Durability.FSYNC);
            default -> throw new ConfigurationException("--durability: unknown mode '" + durability
                    + "' (expected: batch or fsync)");
        }
        if (historyMaxEvents <= 0) {
            throw new ConfigurationException("--history-max-events: " + historyMaxEvents + " (expected: > 0)");
        }
        if (historyMaxAge.isZero() || historyMaxAge.isNegative()) {
            throw new ConfigurationException("--history-max-age: " + historyMaxAge + " (expected: > 0)");
        }
        if (historyMaxBytes <= 0) {
            throw new ConfigurationException("--history-max-bytes: " + historyMaxBytes + " (expected: > 0)");
        }
        builder.dataDir(dataDir)
                .historyMaxEvents(historyMaxEvents)
                .historyMaxAge(historyMaxAge)
                .historyMaxBytes(historyMaxBytes);
    }

    private static Duration positive(Duration value, String option) {
        if (value.isZero() || value.isNegative()) {
            throw new ConfigurationException(option + ": " + value + " (expected: > 0)");
        }
        return value;
    }

    private static Duration flushDelay(Duration value) {
        if (value.isNegative() || value.compareTo(HubConfig.MAX_FLUSH_DELAY) > 0) {
            throw new ConfigurationException("--flush-delay: " + value + " (expected: 0 to "
                    + HubConfig.MAX_FLUSH_DELAY.toSeconds() + "s)");
        }
        return value;
    }

    private static int positive(int value, String option) {
        if (value <= 0) {
            throw new ConfigurationException(option + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
