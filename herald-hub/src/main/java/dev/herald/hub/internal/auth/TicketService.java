package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.TicketStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's stream tickets, issued and redeemed without blocking: in this hub's memory
 * ({@link StreamTickets}) by default, or in the cluster's {@link TicketStore} when the transport
 * keeps one, so that a ticket issued by one hub is redeemed, once, on any. Either way the bounds
 * are this hub's ({@link StreamTickets#mint}), a ticket is redeemable until its {@code ttl} or its
 * token's {@code exp}, whichever comes first, and a refusal never falls back to anonymous.
 *
 * <p>With a store, the ticket never leaves the hub: the store gets its SHA-256 digest ({@link #idOf})
 * and a record of the token ({@link TicketCodec}). A store that fails or does not answer fails the
 * future with {@link HistoryUnavailableException} (the hub answers 503). A ticket the store refused
 * still counts against the bounds: they bound the rate of requests.
 *
 * <p>Thread-safe.
 */
public final class TicketService {

    private static final Logger log = LoggerFactory.getLogger(TicketService.class);
    /** {@code Retry-After} for a store failure that did not say (a closed transport). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** Redis expiries are in milliseconds: a ticket a moment from its token's {@code exp} still gets one. */
    private static final Duration MIN_STORE_TTL = Duration.ofMillis(1);

    private final StreamTickets tickets;
    private final TicketStore store;
    private final TicketCodec codec;
    private final Clock clock;

    private TicketService(StreamTickets tickets, TicketStore store, TicketCodec codec, Clock clock) {
        this.tickets = tickets;
        this.store = store;
        this.codec = codec;
        this.clock = clock;
    }

    /** Tickets kept in {@code tickets}, this hub's memory: redeemable on this hub only. */
    public static TicketService local(StreamTickets tickets) {
        return new TicketService(requireNonNull(tickets, "tickets"), null, null, null);
    }

    /**
     * Tickets bounded by {@code tickets} (which only mints them) and kept in {@code store}, recorded
     * with {@code codec}; validity is checked against {@code clock}.
     */
    public static TicketService shared(StreamTickets tickets, TicketStore store, TicketCodec codec, Clock clock) {
        return new TicketService(requireNonNull(tickets, "tickets"), requireNonNull(store, "store"),
                requireNonNull(codec, "codec"), requireNonNull(clock, "clock"));
    }

    /** Whether the tickets are kept in a shared store. */
    public boolean isShared() {
        return store != null;
    }

    /**
     * A new ticket for {@code token}, counted under {@code subject}, or the refusal when a bound is
     * reached; once a shared store holds it. Fails with {@link HistoryUnavailableException} when the
     * store did not take it.
     */
    public CompletableFuture<StreamTickets.Issue> issue(AccessToken token, String subject) {
        if (store == null) {
            return CompletableFuture.completedFuture(tickets.issue(token, subject));
        }
        StreamTickets.Issue issue = tickets.mint(token, subject);
        if (issue.refusal() != null) {
            return CompletableFuture.completedFuture(issue);
        }
        Duration ttl = Duration.between(clock.instant(), issue.expiresAt());
        if (ttl.compareTo(MIN_STORE_TTL) < 0) {
            ttl = MIN_STORE_TTL;
        }
        CompletableFuture<Void> stored;
        try {
            stored = store.issue(idOf(issue.ticket()), codec.encode(token, issue.expiresAt()), ttl);
        } catch (RuntimeException e) { // a store must fail its future, but one that throws is no less unavailable
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((done, failure) -> {
            if (failure != null) {
                throw new CompletionException(unavailable(failure));
            }
            return issue;
        });
    }

    /**
     * The token {@code ticket} was issued for, if it is redeemable now, or {@code null} (spent,
     * expired, unknown, malformed); the ticket is spent either way. Fails with
     * {@link HistoryUnavailableException} when a shared store cannot tell.
     */
    public CompletableFuture<AccessToken> redeem(String ticket) {
        requireNonNull(ticket, "ticket");
        if (store == null) {
            return CompletableFuture.completedFuture(tickets.redeem(ticket));
        }
        if (ticket.length() != StreamTickets.TICKET_LENGTH) {
            return CompletableFuture.completedFuture(null); // never issued: no need to ask
        }
        CompletableFuture<byte[]> taken;
        try {
            taken = store.redeem(idOf(ticket));
        } catch (RuntimeException e) {
            taken = CompletableFuture.failedFuture(e);
        }
        return taken.handle((record, failure) -> {
            if (failure != null) {
                throw new CompletionException(unavailable(failure));
            }
            return record == null ? null : tokenOf(record);
        });
    }

    /** The token of a redeemed record, or {@code null} if it is past its validity or unreadable. */
    private AccessToken tokenOf(byte[] record) {
        TicketCodec.Decoded decoded;
        try {
            decoded = codec.decode(record);
        } catch (IllegalArgumentException e) {
            // a hub of another version or configuration wrote it: refuse the ticket, never guess its grants
            log.warn("a redeemed stream ticket's record is unreadable ({}); the ticket is refused", e.getMessage());
            return null;
        }
        // the store expires it at the same instant; this guards against one that expires lazily
        return clock.instant().isBefore(decoded.until()) ? decoded.token() : null;
    }

    /** How long a ticket stays redeemable at most. */
    public Duration ttl() {
        return tickets.ttl();
    }

    /**
     * The id a {@link TicketStore} keeps {@code ticket} under: its SHA-256 digest, unpadded base64url.
     * One-way, so nothing a store holds redeems a ticket; a ticket is 256 random bits, so the digest
     * needs no salt.
     */
    public static String idOf(String ticket) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return ENCODER.encodeToString(sha256.digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static HistoryUnavailableException unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof HistoryUnavailableException e) {
            return e;
        }
        return new HistoryUnavailableException("ticket store unavailable: " + cause, RETRY_AFTER, cause);
    }

    @Override
    public String toString() {
        return "TicketService[" + (store == null ? "this hub's memory" : "shared: " + store) + ", " + tickets + "]";
    }
}
