package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.Hub;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hubs on a {@code redis-sentinel://} URI find the master through Sentinel, and find the promoted
 * replica after the master dies: publishing resumes by itself, in one order on both hubs.
 */
class SentinelTest {

    static final String TOPIC = "https://example.com/sentinel";
    static final String MATCH = "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8);

    @Test
    void hubsFollowAFailoverToThePromotedReplica(@TempDir Path dir) throws Exception {
        try (RedisServer master = RedisServer.start();
             RedisServer replica = RedisServer.replicaOf(master);
             RedisServer sentinel = RedisServer.sentinel(dir, "herald-test", master.port())) {
            URI uri = URI.create("redis-sentinel://127.0.0.1:" + sentinel.port() + "#herald-test");
            try (Hub a = TestHubs.builder().transport(uri).build().start();
                 Hub b = TestHubs.builder().transport(uri).build().start();
                 SseStream onB = SseStream.open(TestHubs.url(b, MATCH))) {
                String token = TestHubs.publisherToken();
                List<String> published = new ArrayList<>();
                for (int n = 0; n < 10; n++) {
                    published.add(Publish.ok(a.url(), token, "topic", TOPIC, "id", "before-" + n, "data", "d"));
                }
                assertThat(master.command("WAIT 1 10000")).as("the replica has all ten").isEqualTo(":1");
                master.stop();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        Publish.post(a.url(), token, Publish.form("topic", TOPIC, "id", "after", "data", "d"))
                                .statusCode() == 200);
                published.add("after");
                assertThat(onB.next(11, Duration.ofSeconds(20))).extracting(SseEvent::id).containsExactlyElementsOf(published);
            }
        }
    }
}
