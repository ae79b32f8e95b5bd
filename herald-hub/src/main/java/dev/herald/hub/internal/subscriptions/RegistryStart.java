package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryReader;
import dev.herald.hub.SubscriptionStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry of active subscriptions starts from when the hub starts: the subscriptions
 * active as of one entry of the history, the id of that entry (the Subscription API's first cursor)
 * and its sequence (where the dispatcher starts). The subscription events up to that entry then
 * need not be dispatched again: the registry is seeded with their outcome and applies what follows,
 * so a listing always agrees with its cursor.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sequence the entry the state is as of (0 for an empty log)
 * @param lastEventId its id, or {@code null} when there is none
 * @param active the subscriptions active as of it, oldest first, in either shape
 */
public record RegistryStart(long sequence, String lastEventId, List<SubscriptionEvent> active) {

    private static final Logger log = LoggerFactory.getLogger(RegistryStart.class);
    /** Entries read per page of a {@link #scan}. */
    static final int SCAN_PAGE = 256;

    public RegistryStart {
        active = List.copyOf(active);
    }

    /** No subscription active, as of entry {@code sequence} of {@code history} (a transport's log without a store). */
    public static RegistryStart at(HistoryReader history, long sequence) {
        List<HistoryEntry> last = sequence > 0 ? history.read(sequence - 1, sequence, 1) : List.of();
        return new RegistryStart(sequence, last.isEmpty() ? null : last.get(0).id(), List.of());
    }

    /**
     * The subscriptions a cluster's store recorded, every hub's, as of its snapshot. A record the hub
     * cannot read (written by another version) is skipped with a warning.
     */
    public static RegistryStart of(SubscriptionStore.Snapshot snapshot) {
        List<SubscriptionEvent> active = new ArrayList<>(snapshot.held().size());
        for (SubscriptionStore.Held h : snapshot.held()) {
            try {
                active.add(SubscriptionEvent.fromRecord(h.topic(), h.record()));
            } catch (IllegalArgumentException e) {
                log.warn("skipping an unreadable subscription record of {}: {}", h.topic(), e.getMessage());
            }
        }
        return new RegistryStart(snapshot.sequence(), snapshot.lastEventId(), active);
    }

    /**
     * Reads the whole history of a hub of its own, now at rest, for the subscriptions whose start event
     * is kept and whose end event is not: the connections of a run that ended without publishing
     * their ends (a crash, a kill, ends the disk refused). A start that retention dropped cannot be
     * found; an end without its start is ignored. Memory is bounded by the history kept.
     */
    public static RegistryStart scan(HistoryReader history, SubscriptionTopics topics) {
        requireNonNull(topics, "topics");
        long last = history.lastSequence();
        long oldest = history.oldestSequence();
        Map<String, SubscriptionEvent> open = new LinkedHashMap<>();
        String lastEventId = null;
        long after = oldest > 0 ? oldest - 1 : last;
        while (after < last) {
            List<HistoryEntry> page = history.read(after, last, SCAN_PAGE);
            if (page.isEmpty()) {
                break; // what is kept is one run: nothing more
            }
            for (HistoryEntry e : page) {
                after = e.sequence();
                lastEventId = e.id();
                String topic = e.topics().get(0);
                if (!e.isPrivate() || e.topics().size() != 1 || !topics.isSubscriptionTopic(topic)) {
                    continue;
                }
                SubscriptionEvent event = SubscriptionEvent.fromFrame(topic, e.frame());
                if (event == null) {
                    continue;
                } else if (event.active()) {
                    open.put(topic, event);
                } else {
                    open.remove(topic);
                }
            }
        }
        return new RegistryStart(last, lastEventId, new ArrayList<>(open.values()));
    }

    /** The active subscriptions of the 1.0 shape, the ones the Subscription API lists. */
    public List<SubscriptionDocument> documents() {
        List<SubscriptionDocument> docs = new ArrayList<>(active.size());
        for (SubscriptionEvent e : active) {
            if (e.document() != null) {
                docs.add(e.document());
            }
        }
        return docs;
    }
}
