package dev.herald.hub.internal.metrics;

import dev.herald.hub.HistoryStore;
import dev.herald.hub.internal.auth.AuthFailureReason;
import dev.herald.hub.internal.auth.Role;
import dev.herald.hub.internal.dispatch.LatencyHistogram;
import dev.herald.hub.internal.dispatch.Stats;
import io.micrometer.core.instrument.Clock;
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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.Locale;
import java.util.Objects;

/**
 * The hub's metrics in a Prometheus registry: the dispatch {@link Stats} as gauges and counters
 * (read when scraped, so the hot path only bumps its striped adders), JVM memory, GC, threads and
 * class loading, and the Netty allocators' memory. {@link #scrape()} renders the Prometheus text
 * format (version 0.0.4).
 *
 * <p>Series: {@code herald_subscribers_connected}, {@code herald_updates_published_total},
 * {@code herald_updates_delivered_total}, {@code herald_subscribers_slow_disconnected_total},
 * {@code herald_replays_total}, {@code herald_resets_total}, {@code herald_subscriptions{matcher_type}},
 * {@code herald_auth_failures_total{role,reason}}, {@code herald_publish_write_latency_seconds} (a
 * histogram), {@code herald_history_events}, {@code herald_history_bytes},
 * {@code herald_history_evictions_total}, plus Micrometer's {@code jvm_*}, {@code process_*},
 * {@code system_*} and {@code netty_allocator_*} series.
 *
 * <p>The transport's state (its connection to the other hubs of a cluster) belongs here too when the
 * hub runs with a transport other than its in-process one: bind it beside the history meters, as a
 * gauge read when scraped like the others.
 *
 * <p>Thread-safe: scraped from any event loop while the counters move; {@link #close} once.
 */
public final class HubMetrics implements AutoCloseable {

    /** The media type of {@link #scrape()}'s output. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The latency histogram's series, without the {@code _bucket}/{@code _count}/{@code _sum} suffixes. */
    static final String LATENCY = "herald_publish_write_latency_seconds";

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus,
            Clock.SYSTEM);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Held here: Micrometer keeps only a weak reference to a gauge's object. */
    private final HistoryMeters historyMeters;

    /** Binds {@code stats}, the {@code history}'s size and evictions, and the JVM and Netty meters. */
    public HubMetrics(Stats stats, HistoryStore history) {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(history, "history");
        Gauge.builder("herald.subscribers.connected", stats, Stats::activeSubscribers)
                .description("Event streams open now").register(registry);
        FunctionCounter.builder("herald.updates.published", stats, Stats::publishedCount)
                .description("Updates accepted (HTTP and in-process)").register(registry);
        FunctionCounter.builder("herald.updates.delivered", stats, Stats::deliveredCount)
                .description("Update events written to subscribers, live and replayed").register(registry);
        FunctionCounter.builder("herald.subscribers.slow.disconnected", stats, Stats::slowDisconnectedCount)
                .description("Subscribers disconnected for not reading").register(registry);
        FunctionCounter.builder("herald.replays", stats, Stats::replayCount)
                .description("Subscriptions that replayed history (Last-Event-ID or earliest)").register(registry);
        FunctionCounter.builder("herald.resets", stats, Stats::resetCount)
                .description("herald-reset events sent (requested id unknown or dropped by retention)").register(registry);
        for (Stats.MatcherKind kind : Stats.MatcherKind.values()) {
            Gauge.builder("herald.subscriptions", stats, st -> st.matcherCount(kind)).tag("matcher_type", kind.label())
                    .description("Topic matchers of the streams open now, by type (wildcard: *)").register(registry);
        }
        for (Role role : Role.values()) {
            for (AuthFailureReason reason : AuthFailureReason.values()) {
                FunctionCounter.builder("herald.auth.failures", stats, st -> st.authFailureCount(role, reason))
                        .tag("role", role.name().toLowerCase(Locale.ROOT)).tag("reason", reason.label())
                        .description("Requests refused authorization, by role and reason").register(registry);
            }
        }
        HistoryMeters h = new HistoryMeters(history);
        historyMeters = h;
        Gauge.builder("herald.history.events", h, HistoryMeters::events)
                .description("Updates the history keeps").register(registry);
        Gauge.builder("herald.history.bytes", h, HistoryMeters::bytes)
                .description("Bytes of updates the history keeps, as counted against its size bound").register(registry);
        FunctionCounter.builder("herald.history.evictions", h, HistoryMeters::evictions)
                .description("Updates dropped by retention (count, age, size) since the hub started").register(registry);
        LatencyHistogram latency = stats.publishToWriteLatency();
        prometheus.register(() -> latencySnapshot(latency));
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

    /** The histogram as Prometheus classic buckets, summed from the striped counters now. */
    private static HistogramSnapshot latencySnapshot(LatencyHistogram latency) {
        return HistogramSnapshot.builder()
                .name(LATENCY)
                .help("Time from a publish's acceptance to its frame written to the channels of its subscribers, "
                        + "per update and event loop")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(LatencyHistogram.upperBoundsSeconds(),
                                latency.counts()))
                        .sum(latency.sumSeconds())
                        .build())
                .build();
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
