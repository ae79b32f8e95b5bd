package dev.herald.hub;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What an {@link UpdateTransport} may also do for the active subscriptions of a cluster (Mercure
 * §"Active Subscriptions"): keep, beside the shared log, the subscriptions each hub holds, so that a
 * hub that starts later lists the subscriptions the others already hold, and the subscriptions of a
 * hub that died are ended by another hub. A transport implementing this interface is used for it
 * when the hub tracks subscriptions; with one that does not, each hub lists only what its feed
 * carried since it started, and a dead hub's subscriptions are never ended.
 *
 * <p>The hub gives the store opaque records (what it needs to list a subscription and to end it);
 * the store gives them back in {@link #snapshot} and {@link Keeper#endOf}.
 *
 * <p>Contract:
 * <ul>
 *   <li>A subscription event is a private update on one topic, the subscription's, which is also
 *       its key here; each hub appends its own subscriptions' events through this interface, not
 *       through {@link UpdateTransport#append}.</li>
 *   <li>{@link #appendStart} appends the start event <em>and</em> records the subscription as held by
 *       this hub, atomically: no reader ever sees one without the other. {@link #appendEnd} appends
 *       the end event and forgets the subscription, atomically, and only if this hub still holds it.
 *       The log's entries and the records therefore always agree: at any sequence, the recorded
 *       subscriptions are exactly those whose start is in the log up to it and whose end is not.</li>
 *   <li>{@link #snapshot} reads the log's last sequence and every hub's records in one atomic step,
 *       so a hub that seeds its registry with them and then applies its feed after that sequence
 *       knows exactly the subscriptions the log describes.</li>
 *   <li>After {@link #keep}, the store tells the cluster this hub is alive and, on behalf of hubs that
 *       stopped telling it, appends the end events of their subscriptions ({@link Keeper#endOf}),
 *       each once. A hub taken for dead while still running (cut off, paused) learns it from the
 *       store ({@link Keeper#takenForDead}).</li>
 *   <li>Appends follow {@link UpdateTransport#append}'s rules: they never block the calling thread
 *       (an event loop), and fail with {@link HistoryUnavailableException} when the log cannot take
 *       them, or with {@link IllegalStateException} once the transport is closed.</li>
 * </ul>
 *
 * <p>Implementations must be thread-safe.
 */
public interface SubscriptionStore {

    /**
     * Appends a subscription's start event (private, on {@code topic}) and records {@code record}
     * under {@code topic} as held by this hub, atomically.
     *
     * @return the entry's sequence, once both are done; failed as {@link UpdateTransport#append}
     *         fails, in which case neither is done
     */
    CompletableFuture<Long> appendStart(String topic, byte[] record, String eventId, byte[] frame);

    /**
     * Appends a subscription's end event (private, on {@code topic}) and forgets the record, atomically,
     * if this hub still holds {@code topic}.
     *
     * @return the entry's sequence; or 0, with nothing appended, when this hub no longer held it
     *         (another hub ended it, having taken this one for dead); failed like {@link #appendStart}
     *         also while the store cannot tell yet (the hub is retrying its registration)
     */
    CompletableFuture<Long> appendEnd(String topic, String eventId, byte[] frame);

    /**
     * Reads the log's last sequence, the id of its entry, and every hub's records, atomically. Blocks:
     * called once, when the hub starts, before {@link UpdateTransport#startFeed} (which then starts
     * after {@link Snapshot#sequence}).
     *
     * @throws HistoryUnavailableException if the log cannot be read
     */
    Snapshot snapshot();

    /**
     * Registers this hub as alive and keeps it so until {@link UpdateTransport#close}, and ends the
     * subscriptions of hubs that stopped. Called once, after {@link #snapshot} and before the first
     * {@link #appendStart}.
     *
     * @throws HubStartException if the store cannot be reached
     */
    void keep(Keeper keeper);

    /**
     * What the store knew at one sequence.
     *
     * @param sequence the log's last sequence (0 for an empty log)
     * @param lastEventId the id of that entry, or {@code null} when there is none (empty, or dropped by retention)
     * @param held every hub's subscriptions, oldest start first
     */
    record Snapshot(long sequence, String lastEventId, List<Held> held) {

        public Snapshot {
            held = List.copyOf(held);
        }
    }

    /**
     * One recorded subscription.
     *
     * @param topic its key, the topic of its events
     * @param record what the hub recorded, unmodified; callers must not modify the array
     */
    record Held(String topic, byte[] record) {

        public Held {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * An end event to append on behalf of a dead hub.
     *
     * @param eventId a new event id
     * @param frame its encoded SSE frame
     */
    record EndEvent(String eventId, byte[] frame) {

        public EndEvent {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(frame, "frame");
        }
    }

    /**
     * The hub's side of {@link #keep}. Called from the store's own threads, never an event loop.
     * Implementations are thread-safe.
     */
    interface Keeper {

        /**
         * The end event of the subscription {@code record} recorded under {@code topic} by a hub taken
         * for dead.
         *
         * @throws IllegalArgumentException if the record is unreadable: the store then forgets it
         *         without an event
         */
        EndEvent endOf(String topic, byte[] record);

        /**
         * The cluster no longer holds this hub's subscriptions: the others took it for dead (it could
         * not tell the store it was alive for too long) and published their ends, or the store lost
         * its records (and then publishes their ends as {@link #appendEnd} is called for them). The
         * hub is registered again. It should end the streams it holds, which the cluster no longer
         * lists: their clients reconnect and are announced anew. Must return quickly.
         */
        void takenForDead();
    }
}
