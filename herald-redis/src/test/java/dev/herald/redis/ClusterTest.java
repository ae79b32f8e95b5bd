package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.Hub;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three hubs sharing one Redis behave as one hub: one order everywhere, resumption on any node. */
class ClusterTest {

    static final String TOPIC = "https://example.com/cluster";
    static final String MATCH = "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8);

    RedisServer redis;
    final List<Hub> hubs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            hubs.add(TestHubs.builder().transport(redis.uri()).build().start());
        }
    }

    @AfterEach
    void stop() throws Exception {
        hubs.forEach(Hub::close);
        if (redis != null) {
            redis.close();
        }
    }

    static URI stream(Hub hub) {
        return TestHubs.url(hub, MATCH);
    }

    @Test
    void aThousandUpdatesPublishedRoundRobinReachSubscribersOnEveryNodeAllInOneOrder() throws Exception {
        List<SseStream> subscribers = new ArrayList<>();
        try {
            for (Hub hub : hubs) {
                subscribers.add(SseStream.open(stream(hub)));
                subscribers.add(SseStream.open(stream(hub)));
            }
            String token = TestHubs.publisherToken();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            ExecutorService publishers = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int publisher = p;
                done.add(publishers.submit(() -> {
                    for (int n = publisher; n < 1000; n += 3) { // each publisher goes round the three nodes
                        acknowledged.add(Publish.ok(hubs.get(n % 3).url(), token, "topic", TOPIC, "data", "n" + n));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            publishers.shutdown();
            assertThat(acknowledged).hasSize(1000);
            List<String> first = null;
            for (SseStream s : subscribers) {
                List<String> ids = s.next(1000, Duration.ofSeconds(60)).stream().map(SseEvent::id).toList();
                if (first == null) {
                    first = ids;
                    assertThat(Set.copyOf(ids)).isEqualTo(acknowledged);
                } else {
                    assertThat(ids).as("the same order on every node").isEqualTo(first);
                }
                assertThat(s.poll(Duration.ofMillis(100))).as("nothing more").isNull();
            }
        } finally {
            for (SseStream s : subscribers) {
                s.close();
            }
        }
    }

    @Test
    void aSubscriberMovingToAnotherNodeWithLastEventIdMissesNothingAndGetsNoDuplicate() throws Exception {
        String token = TestHubs.publisherToken();
        List<String> published = new ArrayList<>();
        List<String> received = new ArrayList<>();
        try (SseStream onA = SseStream.open(stream(hubs.get(0)))) {
            for (int n = 0; n < 50; n++) {
                published.add(Publish.ok(hubs.get(n % 3).url(), token, "topic", TOPIC, "id", "order-" + n, "data", "d"));
            }
            onA.next(20, Duration.ofSeconds(10)).forEach(e -> received.add(e.id()));
        } // the client drops its connection to A after 20 events; 30 more were already published
        for (int n = 50; n < 80; n++) { // and publishing goes on while it is away
            published.add(Publish.ok(hubs.get(n % 3).url(), token, "topic", TOPIC, "id", "order-" + n, "data", "d"));
        }
        try (SseStream onB = SseStream.open(stream(hubs.get(1)), "Last-Event-ID", received.get(received.size() - 1))) {
            assertThat(onB.headers.firstValue("Mercure-Last-Event-ID")).hasValue("order-19");
            for (int n = 80; n < 100; n++) {
                published.add(Publish.ok(hubs.get(n % 3).url(), token, "topic", TOPIC, "id", "order-" + n, "data", "d"));
            }
            onB.next(80, Duration.ofSeconds(20)).forEach(e -> received.add(e.id()));
            assertThat(onB.poll(Duration.ofMillis(200))).as("no duplicate").isNull();
        }
        assertThat(received).isEqualTo(published);
    }

    @Test
    void anIdAcknowledgedByOneNodeResolvesOnAnotherAtOnce() throws Exception {
        String token = TestHubs.publisherToken();
        // publish on A and subscribe on C with that id straight away, many times: C may not have read it yet
        for (int round = 0; round < 30; round++) {
            String id = Publish.ok(hubs.get(0).url(), token, "topic", TOPIC, "id", "race-" + round, "data", "1");
            try (SseStream onC = SseStream.open(stream(hubs.get(2)), "Last-Event-ID", id)) {
                assertThat(onC.headers.firstValue("Mercure-Last-Event-ID")).as("round " + round).hasValue(id);
                String next = Publish.ok(hubs.get(1).url(), token, "topic", TOPIC, "id", "next-" + round, "data", "2");
                SseEvent e = onC.next(Duration.ofSeconds(10));
                assertThat(e.id()).as("round " + round + ": exactly the update after " + id).isEqualTo(next);
            }
        }
    }

    @Test
    void privateUpdatesAndEarliestReplayWorkAcrossNodes() throws Exception {
        String token = TestHubs.publisherToken();
        Publish.ok(hubs.get(0).url(), token, "topic", TOPIC, "id", "public-1", "data", "p");
        Publish.ok(hubs.get(1).url(), token, "topic", TOPIC, "id", "secret-1", "data", "s", "private", "on");
        Publish.ok(hubs.get(2).url(), token, "topic", TOPIC, "id", "public-2", "data", "p");
        try (SseStream anonymous = SseStream.open(TestHubs.url(hubs.get(2), MATCH + "&last_event_id=earliest"))) {
            assertThat(anonymous.next(2, Duration.ofSeconds(5)).stream().map(SseEvent::id).collect(Collectors.toList()))
                    .containsExactly("public-1", "public-2");
        }
    }
}
