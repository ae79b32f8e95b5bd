package dev.herald.hub;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.cursor;
import static dev.herald.hub.test.SubscriptionsApi.get;
import static dev.herald.hub.test.SubscriptionsApi.json;
import static dev.herald.hub.test.SubscriptionsApi.param;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.hub.test.HubProcess;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub killed with SIGKILL publishes no end for the subscriptions it held; restarted on the same
 * data directory, it finds them in its history (started, never ended) and publishes their ends, so
 * a client resuming with an old {@code Last-Event-ID} sees them end, once, and the listing agrees.
 */
class SubscriptionsCrashTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String EVERY_EVENT = param("match_urlpattern", NAMESPACE + "/*");

    @TempDir
    Path dataDir;

    static SseStream follow(URI hub, String token, String lastEventId) throws Exception {
        String query = EVERY_EVENT + (lastEventId == null ? "" : "&" + param("last_event_id", lastEventId));
        SseStream s = SseStream.open(URI.create(hub + "?" + query), "Authorization", "Bearer " + token);
        assertThat(s.status).isEqualTo(200);
        return s;
    }

    @Test
    void theSubscriptionsOfAKilledRunEndWhenTheHubStartsAgain() throws Exception {
        String token = SubscriptionsApi.watcherToken();
        Set<String> alive = new HashSet<>(); // subscriptions the kill leaves without an end
        String lastSeen;
        HubProcess.Started doomed = HubProcess.start(dataDir, HubProcess.SUBSCRIPTIONS);
        List<SseStream> streams = new ArrayList<>();
        try {
            SseStream watcher = follow(doomed.url(), token, null);
            streams.add(watcher);
            alive.add(json(watcher.next(WAIT).data()).get("id").asText()); // its own
            for (int i = 0; i < 3; i++) {
                streams.add(SseStream.open(URI.create(doomed.url() + "?" + param("match", "https://example.com/crash/" + i))));
                alive.add(json(watcher.next(WAIT).data()).get("id").asText());
            }
            SseStream leaving = streams.remove(streams.size() - 1);
            leaving.close();
            SseEvent endEvent = watcher.next(WAIT);
            JsonNode end = json(endEvent.data());
            assertThat(end.get("active").asBoolean()).isFalse();
            alive.remove(end.get("id").asText()); // ended before the crash: no second end
            assertThat(watcher.poll(Duration.ofMillis(200))).as("nothing else happened").isNull();
            lastSeen = endEvent.id();
            doomed.kill();
        } finally {
            doomed.process().destroyForcibly();
            for (SseStream s : streams) {
                s.close();
            }
        }
        assertThat(alive).hasSize(3);

        try (Hub hub = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(dataDir).subscriptions(true).build()
                .start();
             SseStream resumed = follow(hub.url(), token, lastSeen)) {
            Set<String> ended = new HashSet<>();
            String ownStart = null;
            while (ended.size() < alive.size() || ownStart == null) {
                JsonNode doc = json(resumed.next(WAIT).data());
                if (doc.get("active").asBoolean()) {
                    assertThat(ownStart).as("one start: the resumed watcher's own").isNull();
                    ownStart = doc.get("id").asText();
                } else {
                    assertThat(ended.add(doc.get("id").asText())).as("each ends once").isTrue();
                }
            }
            assertThat(ended).isEqualTo(alive);
            assertThat(resumed.poll(Duration.ofMillis(300))).as("nothing more").isNull();

            HttpResponse<String> listing = get(hub, NAMESPACE, token);
            assertThat(json(listing.body()).get("subscriptions").findValuesAsText("id")).containsExactly(ownStart);
            assertThat(cursor(listing)).as("the listing is as of the resumed watcher's start").isNotEqualTo(lastSeen);
        }
    }
}
