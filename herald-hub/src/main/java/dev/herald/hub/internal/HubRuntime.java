package dev.herald.hub.internal;

import dev.herald.hub.HistoryStore;
import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import dev.herald.hub.Update;
import dev.herald.hub.internal.dispatch.DeliveryLimits;
import dev.herald.hub.internal.dispatch.Dispatcher;
import dev.herald.hub.internal.dispatch.Stats;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.hub.internal.server.HubServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of a hub, wired together: history, dispatcher, publish service and server.
 * Thread-safe: {@link #publish} from any thread; {@link #start} and {@link #close} once each.
 */
public final class HubRuntime {

    private static final Logger log = LoggerFactory.getLogger(HubRuntime.class);

    private final HubConfig config;
    private final Stats stats = new Stats();
    private final AtomicInteger state = new AtomicInteger(); // 0 new, 1 started, 2 closed
    private HistoryStore history;
    private ExecutorService historyReader;
    private HubServer server;
    private PublishService publishService;

    public HubRuntime(HubConfig config) {
        this.config = config;
    }

    public void start() {
        if (!state.compareAndSet(0, 1)) {
            throw new IllegalStateException("hub already started");
        }
        history = config.historyStore() != null ? config.historyStore() : new MemoryHistoryStore(config.historySize());
        historyReader = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "herald-history-reader");
            t.setDaemon(true);
            return t;
        });
        DeliveryLimits limits = new DeliveryLimits(config.maxBacklogBytes(), config.maxStallTime(), config.heartbeat(),
                HubServer.REPLAY_PAGE_SIZE, config.maxStreamLifetime());
        server = new HubServer(config, stats);
        Dispatcher dispatcher = new Dispatcher(server.workerGroup(), history, historyReader, limits, stats);
        publishService = new PublishService(config, server.topicMatchers(), dispatcher);
        try {
            server.start(dispatcher, publishService, () -> null);
        } catch (HubStartException e) {
            closeQuietly();
            throw e;
        }
        dispatcher.start();
        log.info("listening on {} ({}, {} event loops, history: {})", url(), server.transportName(),
                config.eventLoopThreads(), history.getClass().getSimpleName());
    }

    public String publish(Update update) {
        if (state.get() != 1) {
            throw new IllegalStateException("hub not running");
        }
        return publishService.publish(update);
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
        server.shutdown(config.shutdownRetry(), config.shutdownTimeout());
        closeQuietly();
        log.info("stopped");
    }

    private void closeQuietly() {
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
    }
}
