package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.internal.dispatch.SubscriberAccess;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicRules;
import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
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
 * <p>Publishing never blocks the event loop (the dispatcher's publish returns a future) and never
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

    private final SubscriptionTopics topics;
    private final Publisher publisher;
    private final LongAdder failed = new LongAdder();
    private final AtomicBoolean failing = new AtomicBoolean();

    public SubscriptionEvents(SubscriptionTopics topics, Publisher publisher) {
        this.topics = requireNonNull(topics, "topics");
        this.publisher = requireNonNull(publisher, "publisher");
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
            CompletableFuture<Long> started = publish(
                    SubscriptionDocument.of(topics, m.type(), m.value(), subscriber, true, payload));
            channel.closeFuture().addListener(f -> started.whenComplete((seq, failure) -> {
                if (failure == null) {
                    end(channel.eventLoop(), SubscriptionDocument.of(topics, m.type(), m.value(), subscriber, false,
                            payload), FIRST_RETRY);
                }
            }));
        }
    }

    private void end(EventExecutor loop, SubscriptionDocument doc, Duration retryIn) {
        publish(doc).whenComplete((seq, failure) -> {
            if (failure == null || !(unwrap(failure) instanceof HistoryUnavailableException)) {
                return; // stored, or the hub is stopping
            }
            Duration next = retryIn.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryIn.multipliedBy(2);
            try {
                loop.schedule(() -> end(loop, doc, next), retryIn.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                log.debug("hub stopping: end of subscription {} not published", doc.id());
            }
        });
    }

    private CompletableFuture<Long> publish(SubscriptionDocument doc) {
        String eventId = "urn:uuid:" + UUID.randomUUID();
        byte[] frame = SseEncoder.encode(SseEvent.builder().id(eventId).type(TopicRules.RESERVED_TYPE).data(doc.json())
                .build());
        CompletableFuture<Long> f;
        try {
            f = publisher.publish(eventId, List.of(doc.id()), true, frame);
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
                log.debug("subscription event not published, the hub is stopping: {}", doc.id());
            } else if (failing.compareAndSet(false, true)) {
                log.warn("subscription event not stored, the subscription goes on unannounced or its end is retried: {}",
                        cause.toString());
            } else {
                log.debug("subscription event not stored: {}", cause.toString());
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Subscription events the history refused (or the hub, stopping), since start. */
    public long failedCount() {
        return failed.sum();
    }
}
