package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.Hub;
import dev.herald.hub.test.HubProcess;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A hub node killed (SIGKILL) while updates flow: its subscribers reconnect to another node with
 * their Last-Event-ID and resume with nothing missed and nothing twice.
 */
class NodeKilledTest {

    static final String TOPIC = "https://example.com/failover";
    static final String MATCH = "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8);
    static final int SUBSCRIBERS = 3;

    @Test
    void subscribersOfAKilledNodeResumeOnAnotherWithNothingMissedOrTwice() throws Exception {
        try (RedisServer redis = RedisServer.start();
             Hub survivor = TestHubs.builder().transport(redis.uri()).build().start()) {
            HubProcess.Started doomed = RedisHubProcess.start(redis.uri());
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            Thread publisher = null;
            List<SseStream> onDoomed = new ArrayList<>();
            try {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    onDoomed.add(SseStream.open(URI.create(doomed.url() + "?" + MATCH)));
                }
                publisher = new Thread(() -> {
                    String token = TestHubs.publisherToken();
                    try {
                        for (int n = 0; n < 300; n++) {
                            acknowledged.add(Publish.ok(survivor.url(), token, "topic", TOPIC, "id", "f" + n, "data", "d"));
                            Thread.sleep(2);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }, "test-publisher");
                publisher.start();
                List<List<String>> received = new ArrayList<>();
                for (SseStream s : onDoomed) {
                    received.add(new ArrayList<>(s.next(40, Duration.ofSeconds(20)).stream().map(SseEvent::id).toList()));
                }
                doomed.process().destroyForcibly().waitFor(); // mid-stream
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    SseStream old = onDoomed.get(i);
                    old.awaitEnd(Duration.ofSeconds(10));
                    SseEvent e;
                    while ((e = old.poll(Duration.ZERO)) != null) { // what it got before the kill
                        received.get(i).add(e.id());
                    }
                }
                publisher.join(60_000);
                assertThat(acknowledged).hasSize(300);
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    List<String> ids = received.get(i);
                    String last = ids.get(ids.size() - 1);
                    try (SseStream resumed = SseStream.open(TestHubs.url(survivor, MATCH), "Last-Event-ID", last)) {
                        assertThat(resumed.headers.firstValue("Mercure-Last-Event-ID")).hasValue(last);
                        int missing = acknowledged.size() - ids.size();
                        resumed.next(missing, Duration.ofSeconds(20)).forEach(ev -> ids.add(ev.id()));
                        assertThat(resumed.poll(Duration.ofMillis(200))).as("no duplicate").isNull();
                    }
                    assertThat(ids).as("subscriber " + i).isEqualTo(acknowledged);
                }
            } finally {
                doomed.process().destroyForcibly();
                if (publisher != null) {
                    publisher.join(10_000);
                }
                for (SseStream s : onDoomed) {
                    s.close();
                }
            }
        }
    }
}
