package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Single-use stream tickets: a client that cannot send an {@code Authorization} header (a browser's
 * {@code EventSource}) trades its access token for a ticket, puts the ticket in its subscription URL,
 * and the hub redeems it once for that same token — same issuer and subject, same grants, same
 * {@code exp}. A Herald extension; see {@code docs/hub.md}, "Stream tickets".
 *
 * <ul>
 *   <li>A ticket is {@value #TICKET_BYTES} bytes from {@link SecureRandom} (256 bits), base64url
 *       without padding: {@value #TICKET_LENGTH} characters, unguessable and opaque (it encodes
 *       nothing).</li>
 *   <li>It is redeemable once, until {@code ttl} after issue or its token's {@code exp}, whichever
 *       comes first; redeeming removes it, so a second connection with the same ticket is refused,
 *       whether or not the first is still open.</li>
 *   <li>Memory is bounded: at most {@code maxTickets} tickets are issued within one {@code ttl}, and
 *       at most {@code maxPerSubject} under one subject. A ticket counts until {@code ttl} after its
 *       issue, redeemed or not, so the bounds also cap the issue rate; every entry is dropped
 *       {@code ttl} after issue (on the next call, so an idle store holds at most what it held).</li>
 *   <li>Tickets are never logged: {@link #toString()} shows counts only, and refusals carry no
 *       ticket.</li>
 * </ul>
 *
 * <p>In a cluster whose transport keeps the tickets ({@link dev.herald.hub.TicketStore}), each hub
 * only {@link #mint}s its tickets here, against the same bounds, and the store keeps them
 * ({@link TicketService}).
 *
 * <p>Thread-safe: every call holds the instance's lock, for O(1) amortized work (tickets are issued
 * and redeemed when streams open, never per update).
 */
public final class StreamTickets {

    /** Random bytes per ticket. */
    public static final int TICKET_BYTES = 32;
    /** Characters of a ticket: {@value #TICKET_BYTES} bytes in unpadded base64url. */
    public static final int TICKET_LENGTH = 43;

    /** Why {@link #issue} refused. Immutable and thread-safe (an enum). */
    public enum Refusal {
        /** The subject already has {@code maxPerSubject} tickets in the current window: 429. */
        SUBJECT_LIMIT,
        /** The hub already issued {@code maxTickets} tickets in the current window: 503. */
        HUB_LIMIT
    }

    /** An issued ticket, or why none was. Immutable and thread-safe; {@link #toString()} hides the ticket. */
    public static final class Issue {
        private final String ticket;
        private final Instant expiresAt;
        private final Refusal refusal;

        private Issue(String ticket, Instant expiresAt, Refusal refusal) {
            this.ticket = ticket;
            this.expiresAt = expiresAt;
            this.refusal = refusal;
        }

        /** The ticket, or {@code null} when refused. Never log it. */
        public String ticket() {
            return ticket;
        }

        /** Until when it may be redeemed, or {@code null} when refused. */
        public Instant expiresAt() {
            return expiresAt;
        }

        /** Why no ticket was issued, or {@code null}. */
        public Refusal refusal() {
            return refusal;
        }

        @Override
        public String toString() {
            return refusal == null ? "Issue[until " + expiresAt + "]" : "Issue[refused: " + refusal + "]";
        }
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Duration ttl;
    private final int maxTickets;
    private final int maxPerSubject;
    private final Clock clock;
    private final SecureRandom random;
    /** Redeemable tickets. */
    private final Map<String, Entry> live = new HashMap<>();
    /** Every ticket of the current window, in issue order (so also in order of {@link Entry#dropAt}). */
    private final ArrayDeque<Entry> window = new ArrayDeque<>();
    /** Tickets of the current window per subject; a subject is absent once its count drops to 0. */
    private final Map<String, Integer> perSubject = new HashMap<>();

    private StreamTickets(Duration ttl, int maxTickets, int maxPerSubject, Clock clock, SecureRandom random) {
        this.ttl = ttl;
        this.maxTickets = maxTickets;
        this.maxPerSubject = maxPerSubject;
        this.clock = clock;
        this.random = random;
    }

    /**
     * A store issuing tickets valid for {@code ttl}, at most {@code maxTickets} within one {@code ttl}
     * and {@code maxPerSubject} of them per subject, reading time from {@code clock}.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or a bound is not positive
     */
    public static StreamTickets create(Duration ttl, int maxTickets, int maxPerSubject, Clock clock) {
        requireNonNull(ttl, "ttl");
        requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
        if (maxTickets <= 0) {
            throw new IllegalArgumentException("maxTickets: " + maxTickets + " (expected: > 0)");
        }
        if (maxPerSubject <= 0) {
            throw new IllegalArgumentException("maxPerSubject: " + maxPerSubject + " (expected: > 0)");
        }
        return new StreamTickets(ttl, maxTickets, maxPerSubject, clock, new SecureRandom());
    }

    /** How long a ticket stays redeemable at most. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * A new ticket for {@code token}, counted under {@code subject} (the token's {@code iss} and
     * {@code sub}, or whatever identifies its holder), or the refusal when a bound is reached.
     */
    public synchronized Issue issue(AccessToken token, String subject) {
        return issue(token, subject, true);
    }

    /**
     * Like {@link #issue}, counted against the same bounds, but kept elsewhere: for a ticket a shared
     * {@link dev.herald.hub.TicketStore} keeps, this store only mints it and counts it in its window
     * (the bounds hold per hub), and {@link #redeem} never finds it.
     */
    public synchronized Issue mint(AccessToken token, String subject) {
        return issue(token, subject, false);
    }

    private Issue issue(AccessToken token, String subject, boolean keep) {
        requireNonNull(token, "token");
        requireNonNull(subject, "subject");
        Instant now = clock.instant();
        dropExpired(now);
        if (window.size() >= maxTickets) {
            return new Issue(null, null, Refusal.HUB_LIMIT);
        }
        int count = perSubject.getOrDefault(subject, 0);
        if (count >= maxPerSubject) {
            return new Issue(null, null, Refusal.SUBJECT_LIMIT);
        }
        String ticket;
        do {
            byte[] bytes = new byte[TICKET_BYTES];
            random.nextBytes(bytes);
            ticket = ENCODER.encodeToString(bytes);
        } while (live.containsKey(ticket)); // 2^-256: never, but a collision must not replace a ticket
        Instant dropAt = now.plus(ttl);
        Instant expiresAt = token.expiresAt().isBefore(dropAt) ? token.expiresAt() : dropAt;
        Entry entry = new Entry(ticket, keep ? token : null, subject, dropAt, expiresAt);
        if (keep) {
            live.put(ticket, entry);
        }
        window.addLast(entry);
        perSubject.put(subject, count + 1);
        return new Issue(ticket, expiresAt, null);
    }

    /**
     * The token {@code ticket} was issued for, if it is redeemable now; the ticket is spent either
     * way. {@code null} for a spent, expired, unknown or malformed ticket.
     */
    public synchronized AccessToken redeem(String ticket) {
        requireNonNull(ticket, "ticket");
        Instant now = clock.instant();
        dropExpired(now);
        if (ticket.length() != TICKET_LENGTH) {
            return null;
        }
        Entry entry = live.remove(ticket);
        if (entry == null || !now.isBefore(entry.expiresAt)) {
            return null;
        }
        return entry.token;
    }

    /** Tickets redeemable now (for metrics and tests). */
    public synchronized int redeemable() {
        dropExpired(clock.instant());
        return live.size();
    }

    @Override
    public synchronized String toString() {
        return "StreamTickets[" + live.size() + " redeemable, " + window.size() + " in the window, ttl " + ttl + "]";
    }

    /** Forgets every ticket issued {@code ttl} or more before {@code now}: the window's oldest first. */
    private void dropExpired(Instant now) {
        Entry oldest;
        while ((oldest = window.peekFirst()) != null && !now.isBefore(oldest.dropAt)) {
            window.removeFirst();
            live.remove(oldest.ticket, oldest);
            perSubject.computeIfPresent(oldest.subject, (s, n) -> n == 1 ? null : n - 1);
        }
    }

    /** One issued ticket. Guarded by the store's lock. */
    private static final class Entry {
        final String ticket;
        final AccessToken token;
        final String subject;
        final Instant dropAt;
        final Instant expiresAt;

        Entry(String ticket, AccessToken token, String subject, Instant dropAt, Instant expiresAt) {
            this.ticket = ticket;
            this.token = token;
            this.subject = subject;
            this.dropAt = dropAt;
            this.expiresAt = expiresAt;
        }
    }
}
