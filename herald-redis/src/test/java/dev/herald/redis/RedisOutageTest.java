package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.Hub;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis paused or restarted while publishers are busy: publishes meanwhile get 503 (never 200),
 * subscribers stay connected, and once Redis is back every acknowledged update reaches every
 * subscriber, once, in one order. And a hub's transport metrics show the outage.
 */
class RedisOutageTest {

    static final String TOPIC = "https://example.com/outage";
    static final String MATCH = "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8);
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    RedisServer redis;
    final List<Hub> hubs = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        hubs.forEach(Hub::close);
        if (redis != null) {
            redis.close();
        }
    }

    /** One publish: when it was sent and answered ({@link System#nanoTime}), and the status. */
    record Answer(String id, long sentNanos, long answeredNanos, int status) {
    }

    /** Publishes round-robin to the hubs until stopped, recording what each publish was answered, and when. */
    final class PublishLoop extends Thread {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        final List<String> unexpected = new ArrayList<>();
        volatile boolean running = true;

        PublishLoop() {
            super("test-publish-loop");
        }

        @Override
        public void run() {
            String token = TestHubs.publisherToken();
            for (int n = 0; running; n++) {
                String id = "u" + n;
                try {
                    long sent = System.nanoTime();
                    HttpResponse<String> r = Publish.post(hubs.get(n % hubs.size()).url(), token,
                            Publish.form("topic", TOPIC, "id", id, "data", Integer.toString(n)));
                    answers.add(new Answer(id, sent, System.nanoTime(), r.statusCode()));
                    if (r.statusCode() == 200) {
                        acknowledged.add(id);
                    } else if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                        refused.add(id);
                    } else {
                        unexpected.add(id + ": " + r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    unexpected.add(id + ": " + e);
                }
            }
        }

        /** The publishes sent at or after {@code fromNanos} and answered by {@code toNanos}. */
        List<Answer> within(long fromNanos, long toNanos) {
            return answers.stream().filter(a -> a.sentNanos() >= fromNanos && a.answeredNanos() <= toNanos).toList();
        }

        void awaitAcknowledged(int count) {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= count);
        }

        void finish() throws InterruptedException {
            running = false;
            join(20_000);
        }
    }

    void startHubs(int n) {
        for (int i = 0; i < n; i++) {
            hubs.add(TestHubs.builder().transport(redis.uri()).build().start());
        }
    }

    static int readyStatus(Hub hub) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(hub.url().resolve("/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Every subscriber got every acknowledged update, nothing twice, in one order, and nothing unheard of. */
    static void assertDelivered(List<SseStream> subscribers, PublishLoop loop) throws Exception {
        Set<String> sent = new HashSet<>(loop.acknowledged);
        sent.addAll(loop.refused); // a publish that timed out may have been applied after all
        List<String> reference = null;
        for (SseStream s : subscribers) {
            List<String> ids = new ArrayList<>();
            while (!ids.containsAll(loop.acknowledged)) {
                SseEvent e = s.next(Duration.ofSeconds(30));
                ids.add(e.id());
            }
            SseEvent extra;
            while ((extra = s.poll(Duration.ofMillis(300))) != null) {
                ids.add(extra.id());
            }
            assertThat(s.ended()).as("the stream stayed open").isFalse();
            assertThat(new HashSet<>(ids)).as("no duplicate").hasSize(ids.size());
            assertThat(sent).as("only what was published").containsAll(ids);
            if (reference == null) {
                reference = ids;
            } else {
                assertThat(ids).as("one order on every node").isEqualTo(reference);
            }
        }
    }

    /** Something Redis goes through (and comes back from) while the publish loop runs. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /**
     * Runs a publish loop over two hubs through {@code outage} then {@code recovery}: publishes during
     * the outage get 503 (never 200), the hubs say they are not ready, and afterwards every subscriber
     * has every acknowledged update.
     *
     * <p>"During the outage" is exact: sent once {@code outage} has returned (the server is dead, or
     * stopped: {@link RedisServer#pause} returns once the process is) and answered before
     * {@code recovery} began, so Redis cannot have seen it, let alone accepted it. A publish in flight
     * when the outage began may have reached Redis just before and rightly got 200; one answered once
     * the recovery began may have reached the Redis that came back. Neither is judged.
     */
    void publishThrough(Step outage, Step recovery) throws Exception {
        startHubs(2);
        List<SseStream> subscribers = List.of(SseStream.open(TestHubs.url(hubs.get(0), MATCH)),
                SseStream.open(TestHubs.url(hubs.get(1), MATCH)));
        PublishLoop loop = new PublishLoop();
        loop.start();
        long down;
        long up;
        try {
            loop.awaitAcknowledged(100);
            outage.run();
            down = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).until(() -> readyStatus(hubs.get(0)) == 503);
            await().atMost(Duration.ofSeconds(15)).until(() -> loop.within(down, System.nanoTime()).size() >= 2);
            int acknowledgedBefore = loop.acknowledged.size();
            up = System.nanoTime();
            recovery.run();
            await().atMost(Duration.ofSeconds(15)).until(() -> readyStatus(hubs.get(1)) == 200);
            loop.awaitAcknowledged(acknowledgedBefore + 100);
        } finally {
            loop.finish();
        }
        assertThat(loop.unexpected).isEmpty();
        List<Answer> duringOutage = loop.within(down, up);
        assertThat(duringOutage).as("publishes sent and answered while Redis was down").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(a -> assertThat(a.status()).as("publish %s", a.id()).isEqualTo(503));
        assertDelivered(subscribers, loop);
        for (SseStream s : subscribers) {
            s.close();
        }
    }

    @Test
    void redisPausedDuringAPublishLoop() throws Exception {
        redis = RedisServer.start();
        publishThrough(redis::pause, redis::resume); // SIGSTOP: connections stay open, nothing answers
    }

    @Test
    void redisRestartedDuringAPublishLoop(@TempDir Path dir) throws Exception {
        redis = RedisServer.start(dir); // append-only file, synced at every write: a restart keeps everything
        publishThrough(redis::stop, redis::restart);
    }

    /** The value of {@code series} in {@code hub}'s {@code /metrics}. */
    static double metric(Hub hub, String series) throws Exception {
        String scrape = CLIENT.send(HttpRequest.newBuilder(hub.url().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("%s in%n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theTransportMetricsShowTheConnectionLostAndFoundAgain(@TempDir Path dir) throws Exception {
        redis = RedisServer.start(dir);
        startHubs(1);
        Hub hub = hubs.get(0);
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", TOPIC, "id", "before", "data", "1");
        System.gc(); // the series must not depend on an object only Micrometer's weak reference holds
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(hub, "herald_transport_sequence") == 1);
        assertThat(metric(hub, "herald_transport_connected")).isEqualTo(1);
        assertThat(metric(hub, "herald_transport_reconnects_total")).isZero();

        redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(hub, "herald_transport_connected") == 0);
        assertThat(metric(hub, "herald_transport_reconnects_total")).as("not found again yet").isZero();

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(hub, "herald_transport_connected") == 1
                && metric(hub, "herald_transport_reconnects_total") >= 1); // set one after the other
        assertThat(metric(hub, "herald_transport_reconnects_total")).as("one outage, one reconnection").isEqualTo(1);
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", TOPIC, "id", "after", "data", "2");
        await().atMost(Duration.ofSeconds(5)).until(() -> metric(hub, "herald_transport_sequence") == 2);
    }
}
