package dev.herald.hub;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.cursor;
import static dev.herald.hub.test.SubscriptionsApi.get;
import static dev.herald.hub.test.SubscriptionsApi.json;
import static dev.herald.hub.test.SubscriptionsApi.param;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

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
            AtomicBoolean churning = new AtomicBoolean(true);
            AtomicInteger churned = new AtomicInteger();
            List<Thread> churners = new ArrayList<>();
            for (int t = 0; t < CHURNERS; t++) {
                int id = t;
                Thread th = new Thread(() -> churn(hub, id, churning, churned), "churn-" + t);
                th.start();
                churners.add(th);
            }
            Set<String> state = null;
            SseStream watcher = null;
            String lastSeen = null;
            int applied = 0;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    if (watcher != null) {
                        watcher.close(); // a client reloading the page: list and follow again
                    }
                    HttpResponse<String> listing = get(hub, NAMESPACE, token);
                    assertThat(listing.statusCode()).isEqualTo(200);
                    String from = cursor(listing);
                    state = ids(listing);
                    watcher = SseStream.open(TestHubs.url(hub, param("match_urlpattern", NAMESPACE + "/*") + "&"
                            + param("last_event_id", from)), "Authorization", "Bearer " + token);
                    assertThat(watcher.status).isEqualTo(200);
                    if (!from.equals("earliest")) {
                        assertThat(watcher.headers.firstValue("mercure-last-event-id")).as("the cursor is in the history")
                                .hasValue(from);
                    }
                    long end = System.nanoTime() + ROUND.toNanos();
                    SseEvent e;
                    while (System.nanoTime() < end && (e = watcher.poll(Duration.ofMillis(50))) != null) {
                        apply(state, e);
                        lastSeen = e.id();
                        applied++;
                    }
                }
            } finally {
                churning.set(false);
                for (Thread th : churners) {
                    th.join(WAIT.toMillis());
                }
            }
            assertThat(churned.get()).as("subscriptions came and went").isGreaterThan(ROUNDS);
            assertThat(applied).as("events were followed").isPositive();
            // the churn is over: follow until the watcher has seen everything the hub dispatched
            HttpResponse<String> last = get(hub, NAMESPACE, token);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!cursor(last).equals(lastSeen) && System.nanoTime() < deadline) {
                SseEvent e = watcher.poll(Duration.ofMillis(200));
                if (e != null) {
                    apply(state, e);
                    lastSeen = e.id();
                }
                last = get(hub, NAMESPACE, token);
            }
            assertThat(lastSeen).as("the watcher caught up with the hub").isEqualTo(cursor(last));
            assertThat(state).as("the followed state is the hub's").isEqualTo(ids(last));
            watcher.close();
        }
    }

    /** Applies a subscription event, failing if the listing plus the events so far cannot explain it. */
    static void apply(Set<String> state, SseEvent e) {
        assertThat(e.type()).isEqualTo("mercure");
        JsonNode doc = json(e.data());
        String id = doc.get("id").asText();
        if (doc.get("active").asBoolean()) {
            assertThat(state.add(id)).as("start of a subscription already listed or started: %s", id).isTrue();
        } else {
            assertThat(state.remove(id)).as("end of a subscription neither listed nor started (missed): %s", id)
                    .isTrue();
        }
    }

    static Set<String> ids(HttpResponse<String> collection) {
        JsonNode c = json(collection.body());
        assertThat(c.has("truncated")).isFalse();
        Set<String> ids = new HashSet<>();
        for (JsonNode d : c.get("subscriptions")) {
            ids.add(d.get("id").asText());
        }
        return ids;
    }

    /** Opens and drops subscriptions until told to stop: some closed politely, some reset, some held a while. */
    static void churn(Hub hub, int thread, AtomicBoolean churning, AtomicInteger churned) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<RawHttp> held = new ArrayList<>();
        int i = 0;
        try {
            while (churning.get()) {
                RawHttp raw = new RawHttp(hub.address());
                raw.send("GET /.well-known/mercure?" + param("match", "https://example.com/churn/" + thread + "/" + i++)
                        + (random.nextBoolean() ? "&" + param("match_urlpattern", "https://example.com/churn/*") : "")
                        + " HTTP/1.1\r\nHost: hub.test\r\n\r\n");
                if (random.nextInt(4) == 0) {
                    raw.close(); // gone before, or just as, the stream starts
                } else {
                    raw.read(WAIT);
                    held.add(raw);
                }
                if (held.size() > 5 || (!held.isEmpty() && random.nextBoolean())) {
                    RawHttp leaving = held.remove(random.nextInt(held.size()));
                    if (random.nextBoolean()) {
                        leaving.abort();
                    } else {
                        leaving.close();
                    }
                }
                churned.incrementAndGet();
                Thread.sleep(random.nextInt(3));
            }
            for (RawHttp raw : held) {
                raw.close();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
