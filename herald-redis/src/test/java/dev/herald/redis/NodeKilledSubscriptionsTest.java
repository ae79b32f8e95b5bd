package dev.herald.redis;

import static dev.herald.hub.test.SubscriptionsApi.NAMESPACE;
import static dev.herald.hub.test.SubscriptionsApi.expand;
import static dev.herald.hub.test.SubscriptionsApi.get;
import static dev.herald.hub.test.SubscriptionsApi.json;
import static dev.herald.hub.test.SubscriptionsApi.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.hub.Hub;
import dev.herald.hub.test.HubProcess;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import dev.herald.redis.internal.RedisTransport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node of a cluster that dies without a word (SIGKILL) publishes no end for its subscriptions: the
 * surviving node takes it for dead once its heartbeat expires and publishes them, so its listing
 * drops them and its followers see them end, once. A node that was only paused (SIGSTOP) longer
 * than that finds, when it runs again, that the cluster ended its subscriptions, and ends their
 * streams so their clients reconnect.
 */
class NodeKilledSubscriptionsTest {

    static final int SUBSCRIBERS = 3;
    /** The heartbeat's lifetime, one period of the survivor's check, and room for a busy machine. */
    static final Duration TAKEN_WITHIN = RedisTransport.HEARTBEAT_TTL.plusSeconds(5);

    RedisServer redis;
    Hub survivor;
    HubProcess.Started node;
    final String token = SubscriptionsApi.watcherToken();
    final String topic = "https://example.com/" + UUID.randomUUID();
    final List<SseStream> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        survivor = TestHubs.builder().transport(redis.uri()).subscriptions(true).build().start();
        node = RedisHubProcess.start(redis.uri(), HubProcess.SUBSCRIPTIONS);
    }

    @AfterEach
    void stop() throws Exception {
        for (SseStream s : streams) {
            s.close();
        }
        if (node != null) {
            signal("CONT");
            node.kill();
        }
        if (survivor != null) {
            survivor.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    Set<String> listed() {
        Set<String> ids = new HashSet<>();
        json(get(survivor, NAMESPACE + "/exact/" + expand(topic), token).body()).get("subscriptions")
                .forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    /** Subscribers on the node, seen starting by {@code watcher} on the survivor; returns their subscription ids. */
    Set<String> subscribeOnNode(SseStream watcher) throws Exception {
        Set<String> started = new HashSet<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            streams.add(SseStream.open(URI.create(node.url() + "?" + param("match", topic))));
            JsonNode doc = json(watcher.next(Duration.ofSeconds(10)).data());
            assertThat(doc.get("active").asBoolean()).isTrue();
            started.add(doc.get("id").asText());
        }
        assertThat(listed()).isEqualTo(started);
        return started;
    }

    SseStream watcher() throws Exception {
        SseStream s = SseStream.open(TestHubs.url(survivor, param("match_urlpattern",
                NAMESPACE + "/exact/" + expand(topic) + "/*")), "Authorization", "Bearer " + token);
        assertThat(s.status).isEqualTo(200);
        streams.add(s);
        return s;
    }

    /** Takes the ends of {@code started} from {@code watcher}, each once, waiting at most {@code within}. */
    static void awaitEnds(SseStream watcher, Set<String> started, Duration within) throws Exception {
        Set<String> ended = new HashSet<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (ended.size() < started.size() && System.nanoTime() < deadline) {
            var e = watcher.poll(Duration.ofMillis(100));
            if (e != null) {
                JsonNode doc = json(e.data());
                assertThat(doc.get("active").asBoolean()).as("only ends").isFalse();
                assertThat(ended.add(doc.get("id").asText())).as("each ends once").isTrue();
            }
        }
        assertThat(ended).as("ended within " + within).isEqualTo(started);
    }

    @Test
    void theSubscriptionsOfAKilledNodeEndOnTheSurvivorOnceItsHeartbeatExpires() throws Exception {
        SseStream watcher = watcher();
        Set<String> started = subscribeOnNode(watcher);

        long killed = System.nanoTime();
        node.kill();
        awaitEnds(watcher, started, TAKEN_WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        assertThat(listed()).as("no longer listed").isEmpty();
        assertThat(watcher.poll(Duration.ofMillis(500))).as("nothing more").isNull();
        System.out.println("a killed node's subscriptions ended after " + took.toMillis() + " ms");
    }

    @Test
    void aNodePausedLongerThanItsHeartbeatEndsItsStreamsWhenItRunsAgain() throws Exception {
        SseStream watcher = watcher();
        Set<String> started = subscribeOnNode(watcher);

        signal("STOP");
        awaitEnds(watcher, started, TAKEN_WITHIN);
        assertThat(listed()).isEmpty();
        signal("CONT");
        for (SseStream s : streams.subList(1, streams.size())) {
            s.awaitEnd(Duration.ofSeconds(10)); // the node ended them: the cluster no longer lists them
            assertThat(s.ended()).isTrue();
        }
        assertThat(watcher.poll(Duration.ofMillis(500))).as("their ends are not published twice").isNull();

        // the node serves on, and what starts there now is listed again
        streams.add(SseStream.open(URI.create(node.url() + "?" + param("match", topic))));
        JsonNode doc = json(watcher.next(Duration.ofSeconds(10)).data());
        assertThat(doc.get("active").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> listed().equals(Set.of(doc.get("id").asText())));
    }

    private void signal(String name) throws Exception {
        if (node == null || !node.process().isAlive()) {
            return;
        }
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(node.process().pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
