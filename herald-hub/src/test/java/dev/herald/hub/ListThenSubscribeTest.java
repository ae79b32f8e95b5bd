package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Churn;
import dev.herald.hub.test.PresenceWatcher;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mercure §"Subscription API": a client lists the subscriptions, then follows their events from the
 * listing's cursor ({@code last_event_id}), and so knows every active subscription at every moment —
 * while other clients subscribe and leave as fast as they can. Each event must fit the client's
 * state (a start for a subscription it does not have, an end for one it has: anything else is a
 * change the listing missed or counted twice), and once the churn stops the client's state must be
 * exactly the hub's. With both histories: the memory one (dispatch on the publishing thread) and
 * SQLite (dispatch on the history writer, in batches).
 */
class ListThenSubscribeTest {

    static final int CHURNERS = 3;
    static final int ROUNDS = 6;
    static final Duration ROUND = Duration.ofMillis(400);
    static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(HistoryKind.class)
    void listingThenFollowingFromItsCursorMissesNothingAndCountsNothingTwice(HistoryKind kind, @TempDir Path dir)
            throws Exception {
        String token = SubscriptionsApi.watcherToken();
        try (Hub hub = TestHubs.builder().history(kind).dataDir(dir).subscriptions(true).build().start()) {
            PresenceWatcher watcher;
            int churned;
            try (Churn churn = Churn.start(hub.address(), "local", CHURNERS)) {
                watcher = PresenceWatcher.listAndFollow(hub, token);
                for (int round = 0; round < ROUNDS; round++) {
                    if (round > 0) {
                        watcher.relist(); // a client reloading the page: list and follow again
                    }
                    watcher.follow(ROUND);
                }
                churned = churn.churned();
            }
            assertThat(churned).as("subscriptions came and went").isGreaterThan(ROUNDS);
            assertThat(watcher.applied()).as("events were followed").isPositive();
            watcher.catchUp(WAIT);
            watcher.close();
        }
    }
}
