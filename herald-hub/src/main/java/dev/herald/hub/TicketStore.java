package dev.herald.hub;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What an {@link UpdateTransport} may also do for the stream tickets of a cluster ({@code POST
 * {hub}/tickets}, a Herald extension; see {@code docs/hub.md}, "Stream tickets"): keep the tickets
 * where every hub redeems them, so that a ticket one hub issued opens a stream on any hub of the
 * cluster, once. A transport implementing this interface is used for it; with one that does not,
 * and without a transport, each hub keeps its tickets in its own memory and redeems only those.
 *
 * <p>The hub gives the store opaque records (what it needs to rebuild the authorization of the
 * ticket's token) under a ticket id; the store gives a record back once, in {@link #redeem}.
 *
 * <p>Contract:
 * <ul>
 *   <li>The id is the SHA-256 digest of the ticket, in unpadded base64url ({@value #ID_LENGTH}
 *       characters), never the ticket: nothing the store holds, logs or shows (a Redis
 *       {@code MONITOR}, a dump of its keys) redeems a ticket.</li>
 *   <li>{@link #issue} stores the record under the id, redeemable for {@code ttl}, after which the
 *       store forgets it (it expires by itself: the hub never deletes a ticket). The hub answers the
 *       client its ticket only once the future completed, so a ticket is redeemable on every hub as
 *       soon as its client holds it.</li>
 *   <li>{@link #redeem} gives the record back and forgets it, atomically: of any number of
 *       redemptions of one id, concurrent or not, from any hubs, at most one gets the record; the
 *       others, and every redemption after its {@code ttl}, get {@code null}.</li>
 *   <li>Both never block the calling thread (an event loop) and may complete on a thread of the
 *       store: dependents must not block. They fail with {@link HistoryUnavailableException} when the
 *       store cannot be reached or does not answer in time (the hub answers {@code 503} with
 *       {@code Retry-After}: a ticket request gets no ticket, and a subscription with a ticket is
 *       refused, never served as anonymous), or with {@link IllegalStateException} once the
 *       transport is closed. A redemption that timed out may have spent the ticket: the client
 *       requests a new one.</li>
 * </ul>
 *
 * <p>The bounds on issuing ({@link HubConfig#maxTickets()}, {@link HubConfig#maxTicketsPerSubject()})
 * are kept by each hub, for the tickets it issues.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TicketStore {

    /** Characters of a ticket id: a SHA-256 digest (32 bytes) in unpadded base64url. */
    int ID_LENGTH = 43;

    /**
     * Stores {@code record} under {@code ticketId}, redeemable once for {@code ttl}.
     *
     * @param ticketId the ticket's digest ({@value #ID_LENGTH} base64url characters)
     * @param record what {@link #redeem} gives back; callers do not modify it afterwards
     * @param ttl how long it stays redeemable: positive, at most {@link HubConfig#MAX_TICKET_TTL}
     * @return a future completed once the record is stored, or failed as the interface says (then it
     *         is not redeemable)
     */
    CompletableFuture<Void> issue(String ticketId, byte[] record, Duration ttl);

    /**
     * Takes the record stored under {@code ticketId}, if it is still redeemable, and forgets it, in
     * one atomic step.
     *
     * @return a future completed with the record, or with {@code null} when the id is unknown, spent or
     *         expired; or failed as the interface says
     */
    CompletableFuture<byte[]> redeem(String ticketId);
}
