package dev.herald.hub.internal;

import dev.herald.hub.HistoryStore;
import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import dev.herald.hub.SubscriptionStore;
import dev.herald.hub.TicketStore;
import dev.herald.hub.UpdateTransport;
import dev.herald.hub.Update;
import dev.herald.hub.internal.dispatch.DeliveryLimits;
import dev.herald.hub.internal.dispatch.DispatchListener;
import dev.herald.hub.internal.dispatch.Dispatcher;
import dev.herald.hub.internal.dispatch.Stats;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.hub.internal.history.Retention;
import dev.herald.hub.internal.history.SqliteHistoryStore;
import dev.herald.hub.internal.demo.DemoPublisher;
import dev.herald.hub.internal.metrics.HubMetrics;
import dev.herald.hub.internal.server.HubServer;
import dev.herald.hub.internal.server.OpsRoutes;
import dev.herald.hub.internal.subscriptions.ActiveSubscriptions;
import dev.herald.hub.internal.subscriptions.RegistryStart;
import dev.herald.hub.internal.subscriptions.SubscriptionEvents;
import dev.herald.hub.internal.subscriptions.SubscriptionRegistry;
import dev.herald.hub.internal.subscriptions.SubscriptionTopics;
import dev.herald.hub.internal.topic.TopicRules;
import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of a hub, wired together: history, dispatcher, publish service and server, and
 * the active subscriptions when configured.
 * Thread-safe: {@link #publish} from any thread; {@link #start} and {@link #close} once each.
 */
public final class HubRuntime {

    private static final Logger log = LoggerFactory.getLogger(HubRuntime.class);
    /** Threads reading a blocking history (replay pages, Last-Event-ID look-ups). */
    static final int HISTORY_READER_THREADS = 2;

    private final HubConfig config;
    private final Stats stats = new Stats();
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 started, 2 closed
    private HistoryStore history; // null with a transport
    private UpdateTransport transport;
    private ExecutorService historyReader;
    private HubServer server;
    private PublishService publishService;
    private Dispatcher dispatcher;
    private HubMetrics metrics;
    private DemoPublisher demo;

    public HubRuntime(HubConfig config) {
        this.config = config;
    }

    public void start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("hub already started");
        }
        long transportStart = 0;
        SubscriptionTopics subscriptionTopics = config.subscriptions()
                ? new SubscriptionTopics(TopicRules.of(config.publicUrl().toString()).hubPath()) : null;
        RegistryStart registryStart = null;
        try {
            // first: a history or transport that cannot open must not leave a port bound
            transport = Transports.of(config);
            if (transport != null) {
                transportStart = transport.connect();
            } else {
                history = openHistory(config);
            }
            if (subscriptionTopics != null) {
                registryStart = registryStart(subscriptionTopics, transportStart);
                transportStart = registryStart.sequence(); // the feed goes on from the state the registry starts with
            }
        } catch (RuntimeException e) {
            state.set(2);
            closeQuietly();
            throw e;
        }
        historyReader = Executors.newFixedThreadPool(HISTORY_READER_THREADS, r -> {
            Thread t = new Thread(r, "herald-history-reader");
            t.setDaemon(true);
            return t;
        });
        DeliveryLimits limits = new DeliveryLimits(config.maxBacklogBytes(), config.maxStallTime(), config.heartbeat(),
                HubServer.REPLAY_PAGE_SIZE, config.maxStreamLifetime(), config.flushDelay());
        server = new HubServer(config, stats);
        // Mercure §"Subscription API": the registry is built from the dispatched stream, in its order
        SubscriptionRegistry registry = subscriptionTopics == null ? null : new SubscriptionRegistry(subscriptionTopics,
                registryStart.lastEventId(), SubscriptionRegistry.DEFAULT_MAX_LISTING_BYTES);
        if (registry != null) {
            registry.seed(registryStart.documents());
        }
        DispatchListener listener = registry == null ? DispatchListener.NONE : registry;
        Dispatcher dispatcher = transport != null
                ? new Dispatcher(server.workerGroup(), transport, transportStart, historyReader, limits, stats, listener)
                : new Dispatcher(server.workerGroup(), history, historyReader, limits, stats, listener);
        SubscriptionStore store = registry != null && transport instanceof SubscriptionStore s ? s : null;
        ActiveSubscriptions subscriptions = registry == null ? null : new ActiveSubscriptions(subscriptionTopics,
                registry, new SubscriptionEvents(subscriptionTopics, store != null ? SubscriptionEvents.Log.of(store)
                        : SubscriptionEvents.Log.of(dispatcher::publish)));
        publishService = new PublishService(config, server.topicMatchers(), dispatcher);
        this.dispatcher = dispatcher;
        metrics = new HubMetrics(stats, history, subscriptions);
        if (transport != null) {
            metrics.bindTransport(transport::status);
        }
        OpsRoutes ops = new OpsRoutes(metrics, stats, config);
        try {
            if (store != null) { // registered before the first subscription can start
                byte[] goodbye = SseEncoder.encode(SseEvent.ofRetry(config.shutdownRetry().toMillis()));
                store.keep(SubscriptionEvents.keeper(() -> dispatcher.endStreams(goodbye)));
            }
            // docs/hub.md "Stream tickets": a cluster's tickets are redeemable on every hub
            server.start(dispatcher, publishService, dispatcher::historyNotReadyReason, ops, subscriptions,
                    transport instanceof TicketStore tickets ? tickets : null);
        } catch (HubStartException e) {
            state.set(2);
            closeQuietly();
            throw e;
        }
        dispatcher.start();
        if (subscriptions != null && transport == null && !registryStart.active().isEmpty()) {
            log.info("ending {} subscription(s) of the previous run, which stopped without publishing their end",
                    registryStart.active().size());
            subscriptions.events().endAll(registryStart.active(), server.workerGroup().next());
        }
        if (config.demo()) {
            demo = new DemoPublisher(this::publishAsync);
            demo.start();
        }
        log.info("listening on {} ({}, {} event loops, history: {}, stream tickets: {})", url(),
                server.transportName(), config.eventLoopThreads(), transport != null ? "shared, " + transport : history,
                transport instanceof TicketStore ? "shared" : "this hub's");
        URI base = url().resolve("/");
        if (config.ui()) {
            // the demo pages stay empty without the demo publisher: only point at them when it runs
            log.info("web UI on {}{}, metrics on {}metrics", base, config.demo() ? " (demos under " + base + "demo/)" : "",
                    base);
        } else {
            log.info("metrics on {}metrics", base);
        }
    }

    /** The configured store, or a built-in one opened (and, for SQLite, recovered and verified) now. */
    private static HistoryStore openHistory(HubConfig config) {
        if (config.historyStore() != null) {
            return config.historyStore();
        }
        Retention retention;
        try {
            retention = new Retention(config.historyMaxEvents(), config.historyMaxAge(), config.historyMaxBytes());
        } catch (IllegalArgumentException e) {
            throw new HubStartException("history retention: " + e.getMessage(), e);
        }
        switch (config.historyKind()) {
            case MEMORY:
                if (config.historyMaxEvents() > MemoryHistoryStore.MAX_CAPACITY) {
                    throw new HubStartException("history max events: " + config.historyMaxEvents() + " (expected: <= "
                            + MemoryHistoryStore.MAX_CAPACITY + " for the memory history)", null);
                }
                return new MemoryHistoryStore(retention);
            case SQLITE:
                return SqliteHistoryStore.open(config.dataDir(), config.durability(), retention);
            default:
                throw new IllegalStateException("unknown history kind: " + config.historyKind());
        }
    }

    /**
     * What the registry of active subscriptions starts from (Mercure §"Subscription API"): with a
     * cluster's subscription store, every node's subscriptions as of the store's snapshot; on a hub of
     * its own, the subscriptions its history shows started and not ended (a crashed run's, whose ends
     * this start publishes); with another transport, nothing, as of the feed's start.
     */
    private RegistryStart registryStart(SubscriptionTopics topics, long transportStart) {
        try {
            if (transport == null) {
                return RegistryStart.scan(history, topics);
            }
            return transport instanceof SubscriptionStore store ? RegistryStart.of(store.snapshot())
                    : RegistryStart.at(transport.history(), transportStart);
        } catch (HistoryUnavailableException e) {
            throw new HubStartException("cannot read the active subscriptions: " + e.getMessage(), e);
        }
    }

    /** Publishes and waits until the update is stored; see {@link dev.herald.hub.Hub#publish}. */
    public String publish(Update update) {
        CompletableFuture<String> f = publishService.publish(requireRunning(update));
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Publishes without waiting; see {@link dev.herald.hub.Hub#publishAsync}. The returned future is
     * completed on a common pool thread so callers' stages never run on the history writer.
     */
    public CompletableFuture<String> publishAsync(Update update) {
        return publishService.publish(requireRunning(update)).whenCompleteAsync((id, e) -> { }, ForkJoinPool.commonPool());
    }

    private Update requireRunning(Update update) {
        if (state.get() != 1) {
            throw new IllegalStateException("hub not running");
        }
        return update;
    }

    public InetSocketAddress boundAddress() {
        return server == null ? config.address() : server.boundAddress();
    }

    /** The hub endpoint on the bound address; a wildcard bind address is shown as {@code localhost}. */
    public URI url() {
        InetSocketAddress a = boundAddress();
        InetAddress ip = a.getAddress();
        String host = ip == null || ip.isAnyLocalAddress() ? "localhost"
                : ip.getHostAddress().contains(":") ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        String scheme = config.tlsCertificate() != null ? "https" : "http";
        return URI.create(scheme + "://" + host + ":" + a.getPort() + config.hubPath());
    }

    public Stats stats() {
        return stats;
    }

    public void close() {
        if (state.getAndSet(2) != 1) {
            return;
        }
        log.info("shutting down");
        if (demo != null) {
            demo.close();
        }
        server.shutdown(config.shutdownRetry(), config.shutdownTimeout());
        if (dispatcher != null) {
            dispatcher.stopPublishing(config.shutdownTimeout()); // what was accepted is stored before the history closes
        }
        closeQuietly();
        log.info("stopped");
    }

    private void closeQuietly() {
        if (dispatcher != null) {
            dispatcher.close(); // after the event loops stopped (close) or never ran (a failed start)
        }
        if (metrics != null) {
            metrics.close();
        }
        if (historyReader != null) {
            historyReader.shutdownNow();
        }
        if (history != null) {
            try {
                history.close();
            } catch (RuntimeException e) {
                log.warn("closing the history failed", e);
            }
        }
        if (transport != null) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                log.warn("closing the transport failed", e);
            }
        }
    }
}
