package dev.herald.hub.test;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.cursor;
import static dev.herald.hub.test.SubscriptionsApi.get;
import static dev.herald.hub.test.SubscriptionsApi.json;
import static dev.herald.hub.test.SubscriptionsApi.param;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.hub.Hub;
import dev.herald.sse.SseEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A client of Mercure §"Subscription API" as a presence page is one: it lists the subscriptions, then
 * follows their events from the listing's cursor ({@code last_event_id}), and fails the test on any
 * event that does not fit what it knows (a start of a subscription it has, an end of one it has
 * not: a change the listing missed or counted twice). Not thread-safe: one test thread.
 */
public final class PresenceWatcher implements AutoCloseable {

    private final Hub hub;
    private final String token;
    private Set<String> state;
    private SseStream stream;
    private String lastSeen;
    private int applied;

    private PresenceWatcher(Hub hub, String token) {
        this.hub = hub;
        this.token = token;
    }

    /** Lists on {@code hub}, then follows from the listing's cursor. */
    public static PresenceWatcher listAndFollow(Hub hub, String token) throws Exception {
        PresenceWatcher w = new PresenceWatcher(hub, token);
        w.relist();
        return w;
    }

    /** Closes the stream, lists again and follows from the new cursor (a page reloaded). */
    public void relist() throws Exception {
        if (stream != null) {
            stream.close();
        }
        HttpResponse<String> listing = get(hub, NAMESPACE, token);
        assertThat(listing.statusCode()).isEqualTo(200);
        String from = cursor(listing);
        state = ids(listing);
        stream = SseStream.open(TestHubs.url(hub, param("match_urlpattern", NAMESPACE + "/*") + "&"
                + param("last_event_id", from)), "Authorization", "Bearer " + token);
        assertThat(stream.status).isEqualTo(200);
        if (!from.equals("earliest")) {
            assertThat(stream.headers.firstValue("mercure-last-event-id")).as("the cursor is in the history")
                    .hasValue(from);
        }
    }

    /** Applies the events that come within {@code duration}. */
    public void follow(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        SseEvent e;
        while (System.nanoTime() < end && (e = stream.poll(Duration.ofMillis(50))) != null) {
            apply(e);
        }
    }

    /**
     * Once subscriptions stopped coming and going: follows until this watcher has seen everything
     * the hub dispatched, then checks that what it followed is exactly what the hub lists.
     */
    public void catchUp(Duration timeout) throws InterruptedException {
        HttpResponse<String> last = get(hub, NAMESPACE, token);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cursor(last).equals(lastSeen) && System.nanoTime() < deadline) {
            SseEvent e = stream.poll(Duration.ofMillis(200));
            if (e != null) {
                apply(e);
            }
            last = get(hub, NAMESPACE, token);
        }
        assertThat(lastSeen).as("the watcher caught up with the hub").isEqualTo(cursor(last));
        assertThat(state).as("the followed state is the hub's").isEqualTo(ids(last));
    }

    /** Applies one event, failing if the listing plus the events so far cannot explain it. */
    private void apply(SseEvent e) {
        assertThat(e.type()).isEqualTo("mercure");
        JsonNode doc = json(e.data());
        String id = doc.get("id").asText();
        if (doc.get("active").asBoolean()) {
            assertThat(state.add(id)).as("start of a subscription already listed or started: %s", id).isTrue();
        } else {
            assertThat(state.remove(id)).as("end of a subscription neither listed nor started (missed): %s", id)
                    .isTrue();
        }
        lastSeen = e.id();
        applied++;
    }

    /** The ids of a collection's subscriptions (checked not to be truncated). */
    public static Set<String> ids(HttpResponse<String> collection) {
        JsonNode c = json(collection.body());
        assertThat(c.has("truncated")).isFalse();
        Set<String> ids = new HashSet<>();
        for (JsonNode d : c.get("subscriptions")) {
            ids.add(d.get("id").asText());
        }
        return ids;
    }

    /** The subscriptions the watcher knows are active now. */
    public Set<String> state() {
        return Set.copyOf(state);
    }

    /** Events applied since the start. */
    public int applied() {
        return applied;
    }

    @Override
    public void close() throws Exception {
        if (stream != null) {
            stream.close();
        }
    }
}
