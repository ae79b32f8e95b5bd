package dev.herald.hub.internal.metrics;

import dev.herald.hub.internal.dispatch.Stats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Objects;

/**
 * The hub's metrics in a Prometheus registry: the dispatch {@link Stats} as gauges and counters
 * (read when scraped, so the hot path only bumps its striped adders), JVM memory, GC, threads and
 * class loading, and the Netty allocators' memory. {@link #scrape()} renders the Prometheus text
 * format (version 0.0.4).
 *
 * <p>Series: {@code herald_subscribers_connected}, {@code herald_updates_published_total},
 * {@code herald_updates_delivered_total}, {@code herald_updates_conflated_total},
 * {@code herald_subscribers_slow_disconnected_total},
 * {@code herald_replays_total}, {@code herald_resets_total}, plus Micrometer's {@code jvm_*},
 * {@code process_*}, {@code system_*} and {@code netty_allocator_*} series.
 *
 * <p>Thread-safe: scraped from any event loop while the counters move; {@link #close} once.
 */
public final class HubMetrics implements AutoCloseable {

    /** The media type of {@link #scrape()}'s output. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** Binds {@code stats} and the JVM and Netty meters. */
    public HubMetrics(Stats stats) {
        Objects.requireNonNull(stats, "stats");
        Gauge.builder("herald.subscribers.connected", stats, Stats::activeSubscribers)
                .description("Event streams open now").register(registry);
        FunctionCounter.builder("herald.updates.published", stats, Stats::publishedCount)
                .description("Updates accepted (HTTP and in-process)").register(registry);
        FunctionCounter.builder("herald.updates.delivered", stats, Stats::deliveredCount)
                .description("Update events written to subscribers, live and replayed").register(registry);
        FunctionCounter.builder("herald.subscribers.slow.disconnected", stats, Stats::slowDisconnectedCount)
                .description("Subscribers disconnected for not reading").register(registry);
        FunctionCounter.builder("herald.updates.conflated", stats, Stats::conflatedCount)
                .description("Updates a conflating subscriber never got: a newer one with the same key replaced them")
                .register(registry);
        FunctionCounter.builder("herald.replays", stats, Stats::replayCount)
                .description("Subscriptions that replayed history (Last-Event-ID or earliest)").register(registry);
        FunctionCounter.builder("herald.resets", stats, Stats::resetCount)
                .description("herald-reset events sent (requested id unknown or dropped by retention)").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
                && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
    }

    /** Every series in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
