package dev.herald.hub;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A shared, ordered log of updates through which several hubs act as one (a cluster behind a load
 * balancer): every hub appends the updates published to it, and every hub delivers to its own
 * subscribers what it reads back from the log — its own publishes included — in the log's order.
 * The log also keeps the history every hub replays from, so a subscriber that reconnects to another
 * hub with {@code Last-Event-ID} resumes exactly where it was. {@code herald-redis} implements it
 * on Redis Streams; a hub finds an implementation for a URI through {@link UpdateTransportProvider}.
 *
 * <p>With a transport the hub has no {@link HistoryStore} of its own, and the order is decided by
 * the log, not by the hub: a publish is acknowledged once the log accepted it, and reaches the
 * hub's subscribers only through the feed.
 *
 * <p>Contract:
 * <ul>
 *   <li>Sequences are assigned by the log when it accepts an update: positive, increasing, without
 *       gaps (unless the log lost entries: it then goes on above every sequence a hub has read), and
 *       the same on every hub. The {@link #history()} holds every accepted entry until its retention
 *       drops it (oldest first).</li>
 *   <li>{@link #append} completes with the entry's sequence only once the log accepted it (the
 *       publisher then gets its {@code 200}), and fails with {@link HistoryUnavailableException}
 *       when the log cannot take it now (the publisher gets {@code 503} with {@code Retry-After}).
 *       It never blocks the calling thread, which may be an event loop.</li>
 *   <li>The {@link Feed} is called from one thread at a time, with entries of strictly increasing
 *       sequence, starting after the sequence given to {@link #startFeed}, each entry once. It skips
 *       a sequence only when the entry was gone before this hub read it (dropped by retention, or
 *       lost by the log); the hub then tells its live subscribers with a {@code herald-reset} event. When the log is unreachable the feed pauses,
 *       the transport reconnects by itself, and the feed resumes where it stopped.</li>
 *   <li>Every entry the feed has delivered is readable from {@link #history()} (unless retention
 *       dropped it since): replay and live delivery then meet without a gap or a duplicate.</li>
 * </ul>
 *
 * <p>Lifecycle: {@link #connect}, then {@link #startFeed} once, then {@link #close}. Implementations
 * must be thread-safe.
 */
public interface UpdateTransport extends AutoCloseable {

    /**
     * Connects to the log and returns the highest sequence it has accepted so far (0 for a new log).
     * The hub starts its feed after that sequence: a new hub delivers live updates from now on, and
     * replays older ones from the history on request.
     *
     * @throws HubStartException if the log cannot be reached or is not usable (the message says why)
     */
    long connect();

    /**
     * Starts calling {@code feed} with every entry after {@code afterSequence}, in order, until
     * {@link #close}.
     */
    void startFeed(long afterSequence, Feed feed);

    /**
     * Appends an update (its SSE {@code frame} encoded once by the hub, never modified afterwards).
     * The feed must give it back with the same fields, {@code conflationKey} included (may be
     * {@code null}; see {@link HistoryEntry#conflationKey()}).
     *
     * @return a future completed with the update's sequence once the log accepted it, or failed with
     *         {@link HistoryUnavailableException} (not accepted; or, after a timeout, not known to be
     *         accepted) or {@link IllegalStateException} (closed). It may complete on a thread of the
     *         transport: dependents must not block.
     */
    CompletableFuture<Long> append(String id, List<String> topics, boolean isPrivate, long timestampMillis,
                                   byte[] frame, String conflationKey);

    /** The shared history, read for replay. Its reads may block: the hub makes them off its event loops. */
    HistoryReader history();

    /** The connection's state, for {@code /readyz} and {@code /metrics}. Fast: called per probe and scrape. */
    TransportStatus status();

    /** Stops the feed and releases connections; appends afterwards fail with {@link IllegalStateException}. */
    @Override
    void close();

    /** Receives the log's entries, in order; see {@link UpdateTransport} for the contract. */
    @FunctionalInterface
    interface Feed {

        /** Delivers {@code entry} to this hub's subscribers; returns quickly (it only queues). */
        void accept(HistoryEntry entry);
    }
}
