package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.SubscriptionStore;
import dev.herald.hub.internal.compat.PreOneSubscriptionEvents;
import dev.herald.hub.internal.dispatch.SubscriberAccess;
import dev.herald.hub.internal.topic.TopicMatcher;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the subscription events of Mercure §"Subscription Events": when an event stream starts,
 * one {@code active: true} update per distinct matcher of the stream, and when its channel closes —
 * the client left, was disconnected, its token expired, the connection dropped without a word — the
 * matching {@code active: false} ones. Each stream gets a random {@code urn:uuid:} subscriber
 * identifier (§"Subscriber Identifier Assignment": nothing the client sends can choose it, and it
 * discloses nothing about the token). The updates are private, of type {@code mercure}, on the
 * subscription's topic, with a fresh {@code urn:uuid:} event id, and go through the same
 * publish path as any update: stored in the history, then dispatched in the hub's order.
 *
 * <p>With {@code --compat=0.x}, a subscription made with a pre-1.0 {@code topic} selector is
 * announced in the pre-1.0 shape instead ({@link PreOneSubscriptionEvents}: its own topic and data,
 * no event type, for old clients listening with {@code onmessage}); the 1.0 Subscription API, built
 * from the 1.0 events, does not list it.
 *
 * <p>Events go to a {@link Log}: the hub's own publish path, or, in a cluster whose transport keeps
 * the subscriptions of every hub ({@link SubscriptionStore}), the store, which records each
 * subscription atomically with its event. The hub also publishes the ends it owes for subscriptions
 * that no connection holds any more ({@link #endAll}: those of a run that crashed).
 *
 * <p>Publishing never blocks the event loop (the log returns a future) and never
 * fails the subscription: a refused event is logged and counted ({@link #failedCount()}). A refused
 * start leaves the subscription unannounced, and its end is then not published either; a refused
 * end is retried with backoff, so the registry of active subscriptions does not keep it forever.
 *
 * <p>Thread-safe.
 */
public final class SubscriptionEvents {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionEvents.class);
    /** First wait before publishing a refused end event again; doubled up to {@link #MAX_RETRY}. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** The hub's publish path for an encoded update (the dispatcher's). Implementations are thread-safe. */
    @FunctionalInterface
    public interface Publisher {
        /** Completes once stored and dispatched; fails with {@link HistoryUnavailableException} or {@link IllegalStateException}. */
        CompletableFuture<Long> publish(String id, List<String> topics, boolean isPrivate, byte[] frame);
    }

    /**
     * Where subscription events go. Both methods complete once the event is stored (or, for an end,
     * found not owed: {@link SubscriptionStore#appendEnd}), and fail like {@link Publisher#publish}.
     * Implementations are thread-safe and never block.
     */
    public interface Log {

        CompletableFuture<Long> start(SubscriptionEvent start, String eventId, byte[] frame);

        CompletableFuture<Long> end(SubscriptionEvent end, String eventId, byte[] frame);

        /** Publishes both as any update, through the hub's publish path. */
        static Log of(Publisher publisher) {
            requireNonNull(publisher, "publisher");
            return new Log() {
                @Override
                public CompletableFuture<Long> start(SubscriptionEvent start, String eventId, byte[] frame) {
                    return publisher.publish(eventId, List.of(start.topic()), true, frame);
                }

                @Override
                public CompletableFuture<Long> end(SubscriptionEvent end, String eventId, byte[] frame) {
                    return publisher.publish(eventId, List.of(end.topic()), true, frame);
                }
            };
        }

        /** Appends both through the cluster's store, which records the subscription with its start. */
        static Log of(SubscriptionStore store) {
            requireNonNull(store, "store");
            return new Log() {
                @Override
                public CompletableFuture<Long> start(SubscriptionEvent start, String eventId, byte[] frame) {
                    return store.appendStart(start.topic(), start.record(), eventId, frame);
                }

                @Override
                public CompletableFuture<Long> end(SubscriptionEvent end, String eventId, byte[] frame) {
                    return store.appendEnd(end.topic(), eventId, frame);
                }
            };
        }
    }

    private final SubscriptionTopics topics;
    private final Log events;
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean failing = new AtomicBoolean();

    public SubscriptionEvents(SubscriptionTopics topics, Log events) {
        this.topics = requireNonNull(topics, "topics");
        this.events = requireNonNull(events, "events");
    }

    /**
     * Announces the stream on {@code channel} (just registered with the dispatcher) and arranges its
     * end events for when the channel closes. On any thread; the end events are published from the
     * channel's event loop.
     */
    public void track(Channel channel, List<TopicMatcher> matchers, SubscriberAccess access) {
        String subscriber = "urn:uuid:" + UUID.randomUUID();
        // Mercure §"Subscription": a subscription per matcher; hubs MAY deduplicate identical ones.
        Map<String, TopicMatcher> distinct = new LinkedHashMap<>();
        for (TopicMatcher m : matchers) {
            distinct.putIfAbsent(m.type() + ' ' + m.value(), m);
        }
        for (TopicMatcher m : distinct.values()) {
            String payload = access.payloadFor(m.value()).orElse(null);
            CompletableFuture<Long> started = publish(event(m, subscriber, true, payload), true);
            channel.closeFuture().addListener(f -> started.whenComplete((seq, failure) -> {
                if (failure == null) {
                    end(channel.eventLoop(), event(m, subscriber, false, payload), FIRST_RETRY);
                }
            }));
        }
    }

    /** The event of {@code m}'s subscription: the pre-1.0 shape for a pre-1.0 {@code topic} selector. */
    private SubscriptionEvent event(TopicMatcher m, String subscriber, boolean active, String payload) {
        if (PreOneSubscriptionEvents.appliesTo(m)) {
            String topic = PreOneSubscriptionEvents.topic(topics.hubPath(), m.value(), subscriber);
            return SubscriptionEvent.preOne(topic,
                    PreOneSubscriptionEvents.data(topic, m.value(), subscriber, active, payload), active);
        }
        return SubscriptionEvent.of(SubscriptionDocument.of(topics, m.type(), m.value(), subscriber, active, payload));
    }

    /**
     * Publishes the end of each subscription of {@code starts}, which no connection holds any more
     * (the hub's previous run crashed while they were active), retrying on {@code loop} like any end.
     */
    public void endAll(List<SubscriptionEvent> starts, EventExecutor loop) {
        for (SubscriptionEvent start : starts) {
            end(loop, start.ended(), FIRST_RETRY);
        }
    }

    /**
     * The hub's side of a cluster's {@link SubscriptionStore#keep}: the end events of a dead hub's
     * subscriptions, built from their records; and, when the cluster took this hub for dead,
     * {@code endStreams}, which ends the streams the cluster no longer lists so their clients reconnect.
     */
    public static SubscriptionStore.Keeper keeper(Runnable endStreams) {
        requireNonNull(endStreams, "endStreams");
        return new SubscriptionStore.Keeper() {
            @Override
            public SubscriptionStore.EndEvent endOf(String topic, byte[] record) {
                String eventId = newEventId();
                return new SubscriptionStore.EndEvent(eventId,
                        SubscriptionEvent.fromRecord(topic, record).ended().frame(eventId));
            }

            @Override
            public void takenForDead() {
                log.warn("the cluster took this hub for dead (it could not say it was alive for too long) and ended its "
                        + "subscriptions: ending its streams, whose clients reconnect");
                endStreams.run();
            }
        };
    }

    private void end(EventExecutor loop, SubscriptionEvent end, Duration retryIn) {
        publish(end, false).whenComplete((seq, failure) -> {
            if (failure == null || !(unwrap(failure) instanceof HistoryUnavailableException)) {
                return; // stored, or the hub is stopping
            }
            Duration next = retryIn.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryIn.multipliedBy(2);
            try {
                loop.schedule(() -> end(loop, end, next), retryIn.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                log.debug("hub stopping: end of subscription {} not published", end.topic());
            }
        });
    }

    private CompletableFuture<Long> publish(SubscriptionEvent event, boolean start) {
        String eventId = newEventId();
        byte[] frame = event.frame(eventId);
        CompletableFuture<Long> f;
        try {
            f = start ? events.start(event, eventId, frame) : events.end(event, eventId, frame);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((seq, failure) -> {
            if (failure == null) {
                if (failing.compareAndSet(true, false)) {
                    log.info("subscription events stored again");
                }
                return;
            }
            failed.increment();
            Throwable cause = unwrap(failure);
            if (cause instanceof IllegalStateException) {
                log.debug("subscription event not published, the hub is stopping: {}", event.topic());
            } else if (failing.compareAndSet(false, true)) {
                log.warn("subscription event not stored, the subscription goes on unannounced or its end is retried: {}",
                        cause.toString());
            } else {
                log.debug("subscription event not stored: {}", cause.toString());
            }
        });
    }

    private static String newEventId() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Subscription events the history refused (or the hub, stopping), since start. */
    public long failedCount() {
        return failed.sum();
    }
}
