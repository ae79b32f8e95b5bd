package dev.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The reconnect wait of {@link Backoff}. */
class BackoffTest {

    @Test
    void afterASuccessOrTheFirstFailureTheWaitIsTheReconnectionTime() {
        assertThat(Backoff.delayMillis(3000, 0, 30_000, 0.5)).isEqualTo(3000);
        assertThat(Backoff.delayMillis(0, 0, 30_000, 0.5)).isZero();
    }

    @Test
    void withoutJitterTheWaitDoublesPerFailureUpToTheCeiling() {
        long[] waits = new long[8];
        for (int failures = 1; failures <= 8; failures++) {
            waits[failures - 1] = Backoff.delayMillis(100, failures, 5000, 0);
        }
        assertThat(waits).containsExactly(200, 400, 800, 1600, 3200, 5000, 5000, 5000);
    }

    @RepeatedTest(20)
    void jitterTakesAtMostItsShareOffAndNeverGoesBelowTheReconnectionTime() {
        long wait = Backoff.delayMillis(100, 3, 30_000, 0.5);
        assertThat(wait).isBetween(400L, 800L);
        assertThat(Backoff.delayMillis(100, 1, 30_000, 1.0)).isBetween(100L, 200L);
    }

    @Test
    void aRetryAboveTheCeilingIsStillHonoured() {
        assertThat(Backoff.delayMillis(60_000, 5, 30_000, 0.5)).isEqualTo(60_000);
    }

    @Test
    void aZeroReconnectionTimeStillBacksOffFromOneMillisecond() {
        assertThat(Backoff.delayMillis(0, 10, 30_000, 0)).isEqualTo(1024);
        assertThat(Backoff.delayMillis(0, 40, 30_000, 0)).isEqualTo(30_000);
    }

    @Test
    void hugeValuesDoNotOverflow() {
        assertThat(Backoff.delayMillis(Long.MAX_VALUE / 3, 70, Long.MAX_VALUE, 0)).isEqualTo(Long.MAX_VALUE);
    }
}
