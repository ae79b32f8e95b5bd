package dev.herald.hub.internal.server;

import dev.herald.hub.Compat;
import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import dev.herald.hub.TicketStore;
import dev.herald.hub.internal.PublishService;
import dev.herald.hub.internal.dispatch.Dispatcher;
import dev.herald.hub.internal.dispatch.Stats;
import dev.herald.hub.internal.subscriptions.ActiveSubscriptions;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: event loops (native epoll where available), the listening socket, and the
 * request handling wired to the dispatcher. Thread-safe; started and shut down once.
 */
public final class HubServer {

    /** History entries read and written per replay step. */
    public static final int REPLAY_PAGE_SIZE = 256;
    /** Write-buffer water marks of every stream: above the high mark a stream counts as not reading. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);
    static final int MAX_CONCURRENT_STREAMS = 1000;
    /** Room for the form encoding around the data of a maximal update (topics, id, type...). */
    static final int REQUEST_OVERHEAD_BYTES = 256 * 1024;

    private final HubConfig config;
    private final Stats stats;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final TopicMatcherFactory topicMatchers;
    private Channel serverChannel;
    private Dispatcher dispatcher;
    private RequestAuth auth;

    public HubServer(HubConfig config, Stats stats) {
        this.config = config;
        this.stats = stats;
        this.bossGroup = Transport.newGroup(1, "herald-accept");
        this.workerGroup = Transport.newGroup(config.eventLoopThreads(), "herald-io");
        this.topicMatchers = Matchers.factory(config);
    }

    public EventLoopGroup workerGroup() {
        return workerGroup;
    }

    public TopicMatcherFactory topicMatchers() {
        return topicMatchers;
    }

    public String transportName() {
        return Transport.name();
    }

    /**
     * Binds and serves.
     *
     * @param readiness answers {@code /readyz}
     * @param ops the routes beside the hub's ({@code /metrics})
     */
    public void start(Dispatcher dispatcher, PublishService publishService, ReadinessCheck readiness, OpsRoutes ops) {
        start(dispatcher, publishService, readiness, ops, null, null);
    }

    /**
     * Binds and serves, with the active subscriptions feature when {@code subscriptions} is not
     * {@code null}: subscription events for every stream, and the Subscription API; stream tickets
     * kept in {@code ticketStore} (the cluster's), or in this hub's memory when it is {@code null}.
     */
    public void start(Dispatcher dispatcher, PublishService publishService, ReadinessCheck readiness, OpsRoutes ops,
                      ActiveSubscriptions subscriptions, TicketStore ticketStore) {
        this.dispatcher = dispatcher;
        SslContext ssl = config.tlsCertificate() == null ? null : sslContext();
        ConnectionLimits connectionLimits;
        try {
            auth = HubRequestAuth.create(config, topicMatchers, stats, ticketStore);
            connectionLimits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp(),
                    config.maxStreamsPerSubject());
        } catch (IllegalArgumentException e) {
            shutdownGroups(Duration.ZERO);
            throw new HubStartException(e.getMessage(), e);
        }
        int maxBody = (int) Math.min(Integer.MAX_VALUE, (long) config.maxDataBytes() * 3 + REQUEST_OVERHEAD_BYTES);
        CorsPolicy cors = new CorsPolicy(config.corsOrigins(), config.compat() == Compat.V0X);
        HubHandler handler = new HubHandler(config.hubPath(),
                new SubscribeEndpoint(config, topicMatchers, auth, dispatcher, cors, connectionLimits,
                        subscriptions == null ? null : subscriptions.events()),
                new PublishEndpoint(config, auth, publishService, cors),
                readiness, cors, auth, ops,
                subscriptions == null ? null : new SubscriptionsEndpoint(config, subscriptions, auth, cors),
                new TicketEndpoint(auth, cors));
        HubInitializer initializer = new HubInitializer(ssl, handler, new HubInitializer.ServerLimits(
                config.maxRequestLineLength(), config.maxHeaderSize(), maxBody, MAX_CONCURRENT_STREAMS, WATER_MARK,
                connectionLimits, new ConnectionGuard.Timeouts(config.headerTimeout().toNanos(),
                        config.idleTimeout().toNanos())));
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer);
        try {
            serverChannel = b.bind(config.address()).sync().channel();
        } catch (Exception e) {
            shutdownGroups(Duration.ZERO);
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new HubStartException("cannot listen on " + config.address() + ": " + e.getMessage()
                        + " (is another server using this port? choose another with --addr)", e);
            }
            throw new HubStartException("cannot listen on " + config.address() + ": " + e, e);
        }
    }

    private SslContext sslContext() {
        try {
            return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsPrivateKey().toFile())
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (Exception e) {
            shutdownGroups(Duration.ZERO);
            throw new HubStartException("cannot load the TLS certificate " + config.tlsCertificate() + " and key "
                    + config.tlsPrivateKey() + ": " + e.getMessage()
                    + " (expected PEM files: a certificate chain and a PKCS#8 private key)", e);
        }
    }

    public InetSocketAddress boundAddress() {
        return serverChannel == null ? config.address() : (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Graceful shutdown: stop accepting, send every stream {@code retry} so clients come back
     * after {@code retry}, close them, and let queued work (in-flight publishes) finish within
     * {@code timeout}.
     */
    public void shutdown(Duration retry, Duration timeout) {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (dispatcher != null) {
            dispatcher.closeAll(SseEncoder.encode(SseEvent.ofRetry(retry.toMillis())), timeout);
        }
        shutdownGroups(timeout);
    }

    private void shutdownGroups(Duration timeout) {
        if (auth != null) {
            auth.close();
        }
        long quietMs = Math.min(200, timeout.toMillis());
        bossGroup.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        workerGroup.shutdownGracefully(quietMs, Math.max(quietMs, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1000);
    }
}
