package dev.herald.hub.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.TicketStore;
import dev.herald.hub.internal.topic.TopicMatchers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The ticket seam: hubs sharing a {@link TicketStore} redeem each other's tickets once, the store
 * never sees a ticket, the bounds stay per hub, and a store that fails refuses instead of
 * downgrading; without a store, the hub's own memory as before.
 */
class TicketServiceTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration TTL = Duration.ofSeconds(30);
    static final TicketCodec CODEC = new TicketCodec(TopicMatchers.of("https://hub.example.com/.well-known/mercure"));

    final MutableClock clock = new MutableClock(START);
    final MapStore store = new MapStore();
    final TicketService hubA = shared(10, 3);
    final TicketService hubB = shared(10, 3);

    TicketService shared(int max, int perSubject) {
        return TicketService.shared(StreamTickets.create(TTL, max, perSubject, clock), store, CODEC, clock);
    }

    static AccessToken token(String subject, Instant exp) throws InvalidTokenException {
        return AccessToken.of("https://issuer.test", subject, exp, TicketCodecTest.details("[" + Mint.detail(
                "[\"subscribe\"]", "[{\"match\":\"https://example.com/private\"}]") + "]"));
    }

    /** A store in a map, expiring by the test's clock, taking atomically (ConcurrentHashMap.remove). */
    final class MapStore implements TicketStore {
        final Map<String, Object[]> records = new ConcurrentHashMap<>();
        final List<String> ids = new ArrayList<>();
        final List<Duration> ttls = new ArrayList<>();
        volatile RuntimeException failure;
        volatile boolean lazyExpiry;
        int redemptions;

        @Override
        public synchronized CompletableFuture<Void> issue(String ticketId, byte[] record, Duration ttl) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            ids.add(ticketId);
            ttls.add(ttl);
            records.put(ticketId, new Object[] {record, clock.instant().plus(ttl)});
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized CompletableFuture<byte[]> redeem(String ticketId) {
            redemptions++;
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            Object[] taken = records.remove(ticketId);
            boolean live = taken != null && (lazyExpiry || clock.instant().isBefore((Instant) taken[1]));
            return CompletableFuture.completedFuture(live ? (byte[]) taken[0] : null);
        }
    }

    static <T> T now(CompletableFuture<T> f) {
        assertThat(f).isDone();
        return f.join();
    }

    @Test
    void aTicketIssuedByOneHubIsRedeemedOnceOnAnotherWithTheTokensAuthorization() throws Exception {
        AccessToken token = token("alice", START.plus(Duration.ofHours(1)));
        StreamTickets.Issue issue = now(hubA.issue(token, "alice"));
        assertThat(issue.refusal()).isNull();
        assertThat(issue.expiresAt()).isEqualTo(START.plus(TTL));

        AccessToken redeemed = now(hubB.redeem(issue.ticket()));
        assertThat(redeemed).isNotNull();
        TicketCodecTest.assertSameAuthorization(redeemed, token);
        assertThat(redeemed.canSubscribe(List.of("https://example.com/private"))).isTrue();
        assertThat(now(hubB.redeem(issue.ticket()))).as("spent, on the same hub").isNull();
        assertThat(now(hubA.redeem(issue.ticket()))).as("spent, on the issuing hub").isNull();
        assertThat(hubA.isShared()).isTrue();
    }

    @Test
    void theStoreSeesTheTicketsDigestNeverTheTicket() throws Exception {
        String ticket = now(hubA.issue(token("alice", START.plus(Duration.ofHours(1))), "alice")).ticket();
        String id = store.ids.get(0);
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
        assertThat(id).isEqualTo(expected).isEqualTo(TicketService.idOf(ticket)).hasSize(TicketStore.ID_LENGTH)
                .isNotEqualTo(ticket);
        assertThat(new String((byte[]) store.records.get(id)[0], StandardCharsets.UTF_8)).doesNotContain(ticket);
        assertThat(hubA.toString()).doesNotContain(ticket);
    }

    @Test
    void theStoreKeepsATicketForItsLifetimeOrUntilItsTokensExpiryWhicheverComesFirst() throws Exception {
        String longLived = now(hubA.issue(token("alice", START.plus(Duration.ofHours(1))), "alice")).ticket();
        StreamTickets.Issue soon = now(hubA.issue(token("bob", START.plusSeconds(5)), "bob"));
        assertThat(store.ttls).containsExactly(TTL, Duration.ofSeconds(5));
        assertThat(soon.expiresAt()).isEqualTo(START.plusSeconds(5));

        clock.advance(Duration.ofSeconds(5));
        assertThat(now(hubB.redeem(soon.ticket()))).isNull();
        assertThat(now(hubB.redeem(longLived))).isNotNull();

        // a store that expires lazily still hands back a record past its validity: refused all the same
        store.lazyExpiry = true;
        String late = now(hubA.issue(token("carol", START.plus(Duration.ofHours(1))), "carol")).ticket();
        clock.advance(TTL);
        assertThat(now(hubB.redeem(late))).isNull();
    }

    @Test
    void theBoundsHoldPerHubAndARefusalNeverReachesTheStore() throws Exception {
        AccessToken alice = token("alice", START.plus(Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            now(hubB.redeem(now(hubA.issue(alice, "alice")).ticket())); // redeemed elsewhere: still counted on A
        }
        assertThat(now(hubA.issue(alice, "alice")).refusal()).isEqualTo(StreamTickets.Refusal.SUBJECT_LIMIT);
        assertThat(now(hubB.issue(alice, "alice")).refusal()).as("another hub's bound").isNull();
        assertThat(store.ids).hasSize(4);

        TicketService small = shared(1, 1);
        now(small.issue(alice, "alice"));
        assertThat(now(small.issue(alice, "bob")).refusal()).isEqualTo(StreamTickets.Refusal.HUB_LIMIT);
        assertThat(store.ids).hasSize(5);
    }

    @Test
    void aStoreThatFailsRefusesBothWaysAsUnavailableNeverAnonymous() throws Exception {
        AccessToken alice = token("alice", START.plus(Duration.ofHours(1)));
        String ticket = now(hubA.issue(alice, "alice")).ticket();

        store.failure = new HistoryUnavailableException("redis unavailable", Duration.ofSeconds(3), null);
        assertUnavailable(hubA.issue(alice, "alice"), Duration.ofSeconds(3));
        assertUnavailable(hubB.redeem(ticket), Duration.ofSeconds(3));

        store.failure = new IllegalStateException("transport closed"); // closing: as unavailable, 1 s
        assertUnavailable(hubB.redeem(ticket), TicketService.RETRY_AFTER);

        TicketStore throwing = new TicketStore() {
            @Override
            public CompletableFuture<Void> issue(String ticketId, byte[] record, Duration ttl) {
                throw new IllegalStateException("queue full");
            }

            @Override
            public CompletableFuture<byte[]> redeem(String ticketId) {
                throw new IllegalStateException("queue full");
            }
        };
        TicketService rude = TicketService.shared(StreamTickets.create(TTL, 10, 10, clock), throwing, CODEC, clock);
        assertUnavailable(rude.issue(alice, "alice"), TicketService.RETRY_AFTER);
        assertUnavailable(rude.redeem(ticket), TicketService.RETRY_AFTER);
    }

    static void assertUnavailable(CompletableFuture<?> f, Duration retryAfter) {
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(HistoryUnavailableException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(retryAfter));
    }

    @Test
    void aMalformedTicketIsRefusedWithoutAskingAndAnUnreadableRecordIsRefused() throws Exception {
        for (String bad : List.of("", "short", "x".repeat(44))) {
            assertThat(now(hubB.redeem(bad))).isNull();
        }
        assertThat(store.redemptions).isZero();
        assertThat(now(hubB.redeem("A".repeat(StreamTickets.TICKET_LENGTH)))).isNull(); // unknown
        assertThat(store.redemptions).isOne();

        String ticket = now(hubA.issue(token("alice", START.plus(Duration.ofHours(1))), "alice")).ticket();
        store.records.get(TicketService.idOf(ticket))[0] = "{\"v\":99}".getBytes(StandardCharsets.UTF_8);
        assertThat(now(hubB.redeem(ticket))).isNull();
    }

    @Test
    void withoutAStoreTicketsStayInTheHubsMemory() throws Exception {
        StreamTickets memory = StreamTickets.create(TTL, 10, 1, clock);
        TicketService local = TicketService.local(memory);
        AccessToken alice = token("alice", START.plus(Duration.ofHours(1)));
        StreamTickets.Issue issue = now(local.issue(alice, "alice"));
        assertThat(memory.redeemable()).isOne();
        assertThat(now(local.issue(alice, "alice")).refusal()).isEqualTo(StreamTickets.Refusal.SUBJECT_LIMIT);
        assertThat(now(local.redeem(issue.ticket()))).isSameAs(alice);
        assertThat(now(local.redeem(issue.ticket()))).isNull();
        assertThat(local.isShared()).isFalse();
        assertThat(local.ttl()).isEqualTo(TTL);
    }

    @Test
    void aMintedTicketCountsAgainstTheBoundsButIsNotRedeemableFromMemory() throws Exception {
        StreamTickets memory = StreamTickets.create(TTL, 2, 2, clock);
        AccessToken alice = token("alice", START.plus(Duration.ofHours(1)));
        StreamTickets.Issue minted = memory.mint(alice, "alice");
        assertThat(minted.ticket()).hasSize(StreamTickets.TICKET_LENGTH);
        assertThat(memory.redeemable()).isZero();
        assertThat(memory.redeem(minted.ticket())).isNull();
        memory.mint(alice, "alice");
        assertThat(memory.issue(alice, "alice").refusal()).isEqualTo(StreamTickets.Refusal.HUB_LIMIT);
        clock.advance(TTL);
        assertThat(memory.mint(alice, "alice").refusal()).isNull();
    }
}
