package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.dispatch.DispatchListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active subscriptions as the hub's own event stream tells them (Mercure §"Subscription API"):
 * a {@link DispatchListener}, so it is built from the subscription events exactly as the hub
 * dispatches them, in the hub-wide order, and remembers the id of the last update dispatched. A
 * {@link #query} therefore answers the state as of that id: a client that lists, then subscribes to
 * subscription events with {@code last_event_id} set to it, receives every change after the listing
 * and none before — nothing missed, nothing twice — however subscriptions come and go meanwhile.
 * Because it reads the dispatched stream rather than the local connections, it lists whatever the
 * hub's transport delivers, this node's subscriptions or a cluster's.
 *
 * <p>Only active subscriptions are kept (a terminated one is removed, and then unknown: 404, which the
 * specification allows), so memory follows the live subscriptions. A collection lists at most
 * {@code maxListingBytes} of documents; beyond, it is cut and flagged {@code truncated} (see
 * {@link Snapshot}).
 *
 * <p>Thread-safe: {@link #dispatched} is called by one thread at a time (the dispatcher's); queries
 * come from any thread. Changes and queries take one lock; other updates only write a volatile.
 */
public final class SubscriptionRegistry implements DispatchListener {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistry.class);
    /** Default most bytes of subscription documents in one collection response. */
    public static final int DEFAULT_MAX_LISTING_BYTES = 4 * 1024 * 1024;

    private final SubscriptionTopics topics;
    private final int maxListingBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** Matcher ({@code type + ' ' + match}) to its subscriptions by subscriber, in order of arrival. */
    private final Map<String, Map<String, SubscriptionDocument>> byMatcher = new LinkedHashMap<>();
    private volatile int size;
    /** The id of the last update dispatched, or {@code null} before the first. */
    private volatile String lastEventId;

    /**
     * @param lastEventId the id of the last update in the history when the hub starts, the one its
     *        starting state reflects (empty, or what {@link #seed} adds), or {@code null}
     */
    public SubscriptionRegistry(SubscriptionTopics topics, String lastEventId, int maxListingBytes) {
        this.topics = requireNonNull(topics, "topics");
        if (maxListingBytes <= 0) {
            throw new IllegalArgumentException("maxListingBytes: " + maxListingBytes + " (expected: > 0)");
        }
        this.maxListingBytes = maxListingBytes;
        this.lastEventId = lastEventId;
    }

    /**
     * Adds subscriptions active as of the registry's {@code lastEventId} but whose start events it
     * was not told of: those a cluster's store recorded, or those a crashed run left without an end.
     * Called before the first {@link #dispatched}.
     */
    public void seed(List<SubscriptionDocument> active) {
        lock.lock();
        try {
            for (SubscriptionDocument doc : active) {
                if (doc.active()) {
                    apply(doc);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void dispatched(long sequence, String id, List<String> updateTopics, boolean isPrivate, byte[] frame) {
        // Only the hub publishes below its own path (publishers are refused the reserved namespace),
        // with one topic, private, and the reserved event type (pre-1.0 events have none: not listed).
        if (isPrivate && updateTopics.size() == 1 && topics.isSubscriptionTopic(updateTopics.get(0))) {
            SubscriptionDocument doc;
            try {
                SubscriptionEvent e = SubscriptionEvent.fromFrame(updateTopics.get(0), frame);
                doc = e == null ? null : e.document();
            } catch (RuntimeException e) { // never into the dispatching thread: the update is stored and sent
                log.error("cannot read the subscription event {}", id, e);
                doc = null;
            }
            if (doc != null) {
                lock.lock();
                try {
                    apply(doc);
                    lastEventId = id;
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
        // Not a change: the listing as of this id is the listing as of the previous one.
        lastEventId = id;
    }

    private void apply(SubscriptionDocument doc) {
        String key = doc.matchType() + ' ' + doc.match();
        if (doc.active()) {
            if (byMatcher.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(doc.subscriber(), doc) == null) {
                size++;
            }
            return;
        }
        Map<String, SubscriptionDocument> subscribers = byMatcher.get(key);
        if (subscribers != null && subscribers.remove(doc.subscriber()) != null) {
            size--;
            if (subscribers.isEmpty()) {
                byMatcher.remove(key);
            }
        }
    }

    /** The subscriptions {@code query} asks for, and the id of the last update they reflect. */
    public Snapshot query(SubscriptionTopics.Query query) {
        requireNonNull(query, "query");
        List<SubscriptionDocument> docs = new ArrayList<>();
        boolean truncated = false;
        lock.lock();
        try {
            if (query.isEverything()) {
                long[] bytes = {0};
                for (Map<String, SubscriptionDocument> subscribers : byMatcher.values()) {
                    if (!collect(subscribers, docs, bytes)) {
                        truncated = true;
                        break;
                    }
                }
            } else {
                Map<String, SubscriptionDocument> subscribers = byMatcher.get(query.matchType() + ' ' + query.match());
                if (subscribers != null && query.isOne()) {
                    SubscriptionDocument doc = subscribers.get(query.subscriber());
                    if (doc != null) {
                        docs.add(doc);
                    }
                } else if (subscribers != null) {
                    truncated = !collect(subscribers, docs, new long[] {0});
                }
            }
            return new Snapshot(lastEventId, Collections.unmodifiableList(docs), truncated);
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code subscribers} to {@code docs} while the listing stays within its limit; false when it did not. */
    private boolean collect(Map<String, SubscriptionDocument> subscribers, List<SubscriptionDocument> docs, long[] bytes) {
        for (SubscriptionDocument doc : subscribers.values()) {
            bytes[0] += doc.jsonBytes().length + 1;
            if (bytes[0] > maxListingBytes) {
                return false;
            }
            docs.add(doc);
        }
        return true;
    }

    /** Active subscriptions known now. */
    public int size() {
        return size;
    }

    /**
     * What a query found, consistent with {@code lastEventId}.
     *
     * @param lastEventId the id of the last update dispatched when the query ran, {@code null} before any
     * @param documents the active subscriptions found, each collection in order of arrival (grouped by
     *        matcher for the whole collection)
     * @param truncated whether more matched than fit in the listing limit: the first ones are listed
     */
    public record Snapshot(String lastEventId, List<SubscriptionDocument> documents, boolean truncated) {
    }
}
