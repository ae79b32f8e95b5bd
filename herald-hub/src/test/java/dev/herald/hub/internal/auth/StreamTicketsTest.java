package dev.herald.hub.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stream tickets: single use, expiry, opacity, and bounded memory. */
class StreamTicketsTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration TTL = Duration.ofSeconds(30);

    final MutableClock clock = new MutableClock(START);
    final StreamTickets tickets = StreamTickets.create(TTL, 10, 3, clock);

    static AccessToken token(String subject, Instant exp) {
        return AccessToken.of("https://issuer.test", subject, exp, Grants.none());
    }

    static final AccessToken TOKEN = token("alice", START.plus(Duration.ofHours(1)));

    @Test
    void aTicketIsRedeemedOnceForTheTokenItWasIssuedWith() {
        StreamTickets.Issue issue = tickets.issue(TOKEN, "alice");

        assertThat(issue.refusal()).isNull();
        assertThat(issue.expiresAt()).isEqualTo(START.plus(TTL));
        assertThat(tickets.redeem(issue.ticket())).isSameAs(TOKEN);
        assertThat(tickets.redeem(issue.ticket())).isNull();
        assertThat(tickets.redeemable()).isZero();
    }

    @Test
    void aTicketExpiresAfterItsLifetimeOrItsTokenWhicheverComesFirst() {
        String ticket = tickets.issue(TOKEN, "alice").ticket();
        clock.advance(TTL.minusMillis(1));
        String second = tickets.issue(TOKEN, "alice").ticket();
        assertThat(tickets.redeem(ticket)).isSameAs(TOKEN); // just before its end
        clock.advance(TTL);
        assertThat(tickets.redeem(second)).isNull();

        AccessToken soon = token("bob", clock.instant().plusSeconds(5));
        StreamTickets.Issue short_ = tickets.issue(soon, "bob");
        assertThat(short_.expiresAt()).isEqualTo(soon.expiresAt());
        clock.advance(Duration.ofSeconds(5));
        assertThat(tickets.redeem(short_.ticket())).isNull();
    }

    @Test
    void ticketsAreOpaqueUnguessableAndNeverShown() {
        Set<String> seen = new HashSet<>();
        StreamTickets roomy = StreamTickets.create(TTL, 1000, 1000, clock);
        for (int i = 0; i < 1000; i++) {
            StreamTickets.Issue issue = roomy.issue(TOKEN, "alice");
            assertThat(issue.ticket()).hasSize(StreamTickets.TICKET_LENGTH).matches("[A-Za-z0-9_-]{43}");
            assertThat(issue.toString()).doesNotContain(issue.ticket());
            assertThat(roomy.toString()).doesNotContain(issue.ticket());
            seen.add(issue.ticket());
        }
        assertThat(seen).hasSize(1000);
        assertThat(roomy.redeem("x".repeat(43))).isNull();
        assertThat(roomy.redeem("short")).isNull();
        assertThat(roomy.redeem("")).isNull();
    }

    @Test
    void eachSubjectGetsABoundedNumberOfTicketsPerLifetime() {
        for (int i = 0; i < 3; i++) {
            tickets.redeem(tickets.issue(TOKEN, "alice").ticket()); // redeeming does not free a slot: a rate bound
        }
        assertThat(tickets.issue(TOKEN, "alice").refusal()).isEqualTo(StreamTickets.Refusal.SUBJECT_LIMIT);
        assertThat(tickets.issue(TOKEN, "bob").refusal()).isNull();
        clock.advance(TTL);
        assertThat(tickets.issue(TOKEN, "alice").refusal()).isNull();
    }

    @Test
    void theWholeStoreIsBoundedAndForgetsTicketsAfterTheirLifetime() {
        for (int i = 0; i < 10; i++) {
            assertThat(tickets.issue(TOKEN, "subject-" + i).refusal()).isNull();
        }
        assertThat(tickets.issue(TOKEN, "another").refusal()).isEqualTo(StreamTickets.Refusal.HUB_LIMIT);
        assertThat(tickets.redeemable()).isEqualTo(10);
        clock.advance(TTL);
        assertThat(tickets.redeemable()).isZero();
        assertThat(tickets.toString()).contains("0 redeemable, 0 in the window");
        // a flood over a long time never holds more than one window's worth
        for (int i = 0; i < 10_000; i++) {
            tickets.issue(TOKEN, "flood-" + (i % 50));
            clock.advance(Duration.ofMillis(7));
            assertThat(tickets.redeemable()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void refusesBadConfiguration() {
        assertThatThrownBy(() -> StreamTickets.create(Duration.ZERO, 1, 1, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl: PT0S (expected: > 0)");
        assertThatThrownBy(() -> StreamTickets.create(TTL, 0, 1, clock)).hasMessage("maxTickets: 0 (expected: > 0)");
        assertThatThrownBy(() -> StreamTickets.create(TTL, 1, 0, clock)).hasMessage("maxPerSubject: 0 (expected: > 0)");
    }
}
