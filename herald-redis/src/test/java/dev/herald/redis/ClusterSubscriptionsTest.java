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
import dev.herald.hub.test.Churn;
import dev.herald.hub.test.PresenceWatcher;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.SubscriptionsApi;
import dev.herald.hub.test.TestHubs;
import dev.herald.redis.internal.RedisTransport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active subscriptions across a cluster on Redis: every node lists every node's subscriptions, also
 * a node that starts after they did, and a listing taken on one node and followed from its cursor
 * misses nothing while subscriptions come and go on the others.
 */
class ClusterSubscriptionsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    RedisServer redis;
    final List<Hub> hubs = new ArrayList<>();
    final String token = SubscriptionsApi.watcherToken();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        hubs.forEach(Hub::close);
        if (redis != null) {
            redis.close();
        }
    }

    Hub node() {
        Hub hub = TestHubs.builder().transport(redis.uri()).subscriptions(true).build().start();
        hubs.add(hub);
        return hub;
    }

    /** The documents of {@code topic}'s exact matcher as {@code hub} lists them. */
    List<JsonNode> listed(Hub hub, String topic) {
        HttpResponse<String> r = get(hub, NAMESPACE + "/exact/" + expand(topic), token);
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> docs = new ArrayList<>();
        json(r.body()).get("subscriptions").forEach(docs::add);
        return docs;
    }

    SseStream watch(Hub hub, String topic) throws Exception {
        SseStream s = SseStream.open(TestHubs.url(hub, param("match_urlpattern",
                NAMESPACE + "/exact/" + expand(topic) + "/*")), "Authorization", "Bearer " + token);
        assertThat(s.status).isEqualTo(200);
        return s;
    }

    @Test
    void aSubscriberOnOneNodeIsListedOnAnotherAndOnANodeStartedAfterIt() throws Exception {
        Hub a = node();
        Hub b = node();
        String topic = "https://example.com/" + UUID.randomUUID();
        try (SseStream onA = SseStream.open(TestHubs.url(a, param("match", topic)))) {
            await().atMost(WAIT).until(() -> listed(b, topic).size() == 1);
            String subscriber = listed(b, topic).get(0).get("subscriber").asText();
            assertThat(listed(a, topic)).extracting(d -> d.get("subscriber").asText()).containsExactly(subscriber);

            Hub c = node(); // joins after the subscription started: its events are behind it
            assertThat(listed(c, topic)).as("listed at once, from the cluster's records")
                    .extracting(d -> d.get("subscriber").asText()).containsExactly(subscriber);
            try (SseStream onC = watch(c, topic)) {
                onA.close();
                JsonNode end = json(onC.next(WAIT).data());
                assertThat(end.get("subscriber").asText()).isEqualTo(subscriber);
                assertThat(end.get("active").asBoolean()).isFalse();
            }
            await().atMost(WAIT).until(() -> listed(c, topic).isEmpty() && listed(b, topic).isEmpty());
        }
    }

    @Test
    void aNodeStoppedGracefullyEndsItsSubscriptionsOnEveryNode() throws Exception {
        Hub a = node();
        Hub b = node();
        String topic = "https://example.com/" + UUID.randomUUID();
        try (SseStream watcher = watch(b, topic)) {
            List<SseStream> onA = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                onA.add(SseStream.open(TestHubs.url(a, param("match", topic))));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(json(watcher.next(WAIT).data()).get("active").asBoolean()).isTrue();
            }
            long stopped = System.nanoTime();
            a.close();
            for (int i = 0; i < 3; i++) {
                assertThat(json(watcher.next(WAIT).data()).get("active").asBoolean()).isFalse();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - stopped))
                    .as("ended by the stopping node, not after its heartbeat expired")
                    .isLessThan(RedisTransport.HEARTBEAT_TTL);
            assertThat(watcher.poll(Duration.ofMillis(300))).as("each ends once").isNull();
            assertThat(listed(b, topic)).isEmpty();
            for (SseStream s : onA) {
                s.close();
            }
        }
    }

    @Test
    void aRedisOutageLongerThanTheHeartbeatTakesNoNodeForDead(@TempDir Path dir) throws Exception {
        redis.close();
        redis = RedisServer.start(dir); // keeps its data across a restart, heartbeats included
        Hub a = node();
        Hub b = node();
        String topic = "https://example.com/" + UUID.randomUUID();
        try (SseStream watcher = watch(b, topic);
             SseStream onA = SseStream.open(TestHubs.url(a, param("match", topic)));
             SseStream onB = SseStream.open(TestHubs.url(b, param("match", topic)))) {
            assertThat(json(watcher.next(WAIT).data()).get("active").asBoolean()).isTrue();
            assertThat(json(watcher.next(WAIT).data()).get("active").asBoolean()).isTrue();
            redis.stop();
            Thread.sleep(RedisTransport.HEARTBEAT_TTL.plusSeconds(1).toMillis()); // every heartbeat expires
            redis.restart(); // the nodes come back one after the other
            // a node takes others for dead only once it has itself been heard for a whole heartbeat
            // lifetime, by which time every live node has refreshed its own
            assertThat(watcher.poll(RedisTransport.HEARTBEAT_TTL.plusSeconds(3))).as("no end published").isNull();
            assertThat(List.of(onA.ended(), onB.ended(), watcher.ended())).as("no stream ended").containsOnly(false);
            assertThat(listed(a, topic)).hasSize(2);
            assertThat(listed(b, topic)).hasSize(2);
        }
    }

    @Test
    void afterRedisLostItsDataTheNodesEndTheSubscriptionsItForgot() throws Exception {
        Hub a = node();
        Hub b = node();
        String topic = "https://example.com/" + UUID.randomUUID();
        try (SseStream onA = SseStream.open(TestHubs.url(a, param("match", topic)))) {
            await().atMost(WAIT).until(() -> listed(b, topic).size() == 1);
            redis.stop();
            redis.restart(); // without persistence: empty, the nodes' registrations and records gone
            // each node finds itself unregistered, ends its streams (clients reconnect and announce
            // themselves again) and publishes the ends nobody else knows are owed
            onA.awaitEnd(WAIT);
            assertThat(onA.ended()).isTrue();
            await().atMost(WAIT).until(() -> listed(a, topic).isEmpty() && listed(b, topic).isEmpty());
        }
    }

    @Test
    void listingOnOneNodeThenFollowingMissesNothingWhileSubscriptionsComeAndGoOnOthersAndOnANewNode()
            throws Exception {
        Hub a = node();
        Hub b = node();
        PresenceWatcher onB;
        PresenceWatcher onC;
        int churned;
        try (Churn churnA = Churn.start(a.address(), "a", 2)) {
            onB = PresenceWatcher.listAndFollow(b, token);
            onB.follow(Duration.ofMillis(500));
            Hub c = node(); // starts while subscriptions come and go: its snapshot must be exact
            onC = PresenceWatcher.listAndFollow(c, token);
            try (Churn churnC = Churn.start(c.address(), "c", 2)) {
                for (int round = 0; round < 4; round++) {
                    if (round > 0) {
                        onB.relist();
                        onC.relist();
                    }
                    onB.follow(Duration.ofMillis(300));
                    onC.follow(Duration.ofMillis(300));
                }
                churned = churnA.churned() + churnC.churned();
            }
        }
        assertThat(churned).as("subscriptions came and went").isGreaterThan(8);
        assertThat(onB.applied()).isPositive();
        assertThat(onC.applied()).isPositive();
        onB.catchUp(WAIT);
        onC.catchUp(WAIT);
        assertThat(onC.state()).as("every node lists the same").isEqualTo(onB.state());
        onB.close();
        onC.close();
    }
}
