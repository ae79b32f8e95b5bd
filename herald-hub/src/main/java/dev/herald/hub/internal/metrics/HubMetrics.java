package dev.herald.hub.internal.metrics;

import dev.herald.hub.HistoryStore;
import dev.herald.hub.TransportStatus;
import dev.herald.hub.internal.auth.AuthFailureReason;
import dev.herald.hub.internal.auth.Role;
import dev.herald.hub.internal.dispatch.LatencyHistogram;
import dev.herald.hub.internal.dispatch.Stats;
import dev.herald.hub.internal.subscriptions.ActiveSubscriptions;
import dev.herald.hub.internal.subscriptions.SubscriptionEvents;
import dev.herald.hub.internal.subscriptions.SubscriptionRegistry;
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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The hub's metrics in a Prometheus registry: the dispatch {@link Stats} as gauges and counters
 * (read when scraped, so the hot path only bumps its striped adders), JVM memory, GC, threads and
 * class loading, and the memory of the Netty allocator the hub uses. {@link #scrape()} renders the
 * Prometheus text format (version 0.0.4).
 *
 * <p>Series: {@code herald_subscribers_connected}, {@code herald_updates_published_total},
 * {@code herald_updates_delivered_total}, {@code herald_updates_conflated_total},
 * {@code herald_subscribers_slow_disconnected_total}, {@code herald_replays_total},
 * {@code herald_resets_total}, {@code herald_subscriptions{matcher_type}},
 * {@code herald_auth_failures_total{role,reason}}, {@code herald_publish_write_latency_seconds} (a
 * histogram), with the embedded history {@code herald_history_events}, {@code herald_history_bytes}
 * and {@code herald_history_evictions_total}, with active subscriptions on
 * {@code herald_subscriptions_active} and {@code herald_subscription_events_failed_total}, in a
 * cluster the transport's (see {@link #bindTransport}), plus Micrometer's {@code jvm_*},
 * {@code process_*}, {@code system_*} and {@code netty_allocator_*} series.
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
    /** Held here for the same reason ({@link #bindTransport}). */
    private volatile Supplier<TransportStatus> transportStatus;

    /**
     * Binds {@code stats}, the JVM and Netty meters, the embedded {@code history}'s size and evictions
     * ({@code null} in a cluster: the shared history lives in the transport, read over the network,
     * which a scrape on an event loop must not wait for), and the series of active
     * {@code subscriptions} ({@code null} when off).
     */
    public HubMetrics(Stats stats, HistoryStore history, ActiveSubscriptions subscriptions) {
        Objects.requireNonNull(stats, "stats");
        if (subscriptions != null) {
            Gauge.builder("herald.subscriptions.active", subscriptions.registry(), SubscriptionRegistry::size)
                    .description("Active subscriptions the Subscription API lists").register(registry);
            FunctionCounter.builder("herald.subscription.events.failed", subscriptions.events(),
                    SubscriptionEvents::failedCount)
                    .description("Subscription events the history refused (the subscriptions went on)").register(registry);
        }
        Gauge.builder("herald.subscribers.connected", stats, Stats::activeSubscribers)
                .description("Event streams open now").register(registry);
        FunctionCounter.builder("herald.updates.published", stats, Stats::publishedCount)
                .description("Updates accepted (HTTP and in-process)").register(registry);
        FunctionCounter.builder("herald.updates.delivered", stats, Stats::deliveredCount)
                .description("Update events written to subscribers, live and replayed").register(registry);
        FunctionCounter.builder("herald.updates.conflated", stats, Stats::conflatedCount)
                .description("Updates a conflating subscriber never got: a newer one with the same key replaced them")
                .register(registry);
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
        historyMeters = history == null ? null : new HistoryMeters(history);
        if (historyMeters != null) {
            HistoryMeters h = historyMeters;
            Gauge.builder("herald.history.events", h, HistoryMeters::events)
                    .description("Updates the history keeps").register(registry);
            Gauge.builder("herald.history.bytes", h, HistoryMeters::bytes)
                    .description("Bytes of updates the history keeps, as counted against its size bound").register(registry);
            FunctionCounter.builder("herald.history.evictions", h, HistoryMeters::evictions)
                    .description("Updates dropped by retention (count, age, size) since the hub started").register(registry);
        }
        LatencyHistogram latency = stats.publishToWriteLatency();
        prometheus.register(() -> latencySnapshot(latency));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // the allocator the hub's buffers come from: its channels configure none, so Netty gives them
        // ByteBufAllocator.DEFAULT (adaptive since Netty 4.2, pooled only with -Dio.netty.allocator.type=pooled),
        // which the dispatcher's frames use too; reporting another allocator's would show memory nobody uses
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
    }

    /**
     * Adds the series of a hub in a cluster: {@code herald_transport_connected} (1 while the shared
     * log answers, else 0), {@code herald_transport_reconnects_total} and
     * {@code herald_transport_sequence} (the last sequence this hub read from the log).
     */
    public void bindTransport(Supplier<TransportStatus> status) {
        // held here, like historyMeters: nothing else holds this supplier (a method reference made for
        // this call), and once collected the series would read NaN
        transportStatus = Objects.requireNonNull(status, "status");
        Gauge.builder("herald.transport.connected", status, s -> s.get().connected() ? 1 : 0)
                .description("1 while the shared log (the transport) answers, else 0").register(registry);
        FunctionCounter.builder("herald.transport.reconnects", status, s -> s.get().reconnects())
                .description("Times the connection to the shared log was lost and found again").register(registry);
        Gauge.builder("herald.transport.sequence", status, s -> s.get().lastSequence())
                .description("Last sequence this hub read from the shared log").register(registry);
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
