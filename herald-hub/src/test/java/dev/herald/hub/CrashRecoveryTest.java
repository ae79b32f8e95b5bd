package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.HubProcess;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub killed with SIGKILL while publishers are busy: after a restart on the same data directory,
 * every update a publisher saw acknowledged is in the history and replayed, once, in order.
 */
class CrashRecoveryTest {

    static final String TOPIC = "https://example.com/crash";
    static final int PUBLISHERS = 8;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedPublishSurvivesASigkillAndIsReplayedOnceInOrder() throws Exception {
        HubProcess.Started hubProcess = HubProcess.start(dataDir);
        URI url = hubProcess.url();
        String token = TestHubs.publisherToken();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            int publisher = p;
            Thread t = new Thread(() -> {
                // each publisher numbers its updates; the ids make acknowledgements checkable after the crash
                for (int n = 0; n < 100_000; n++) {
                    String id = "p" + publisher + "-" + n;
                    try {
                        HttpResponse<String> r = Publish.post(url, token,
                                Publish.form("topic", TOPIC, "id", id, "data", Integer.toString(n)));
                        if (r.statusCode() != 200) {
                            return;
                        }
                        acknowledged.add(id);
                        if (acks.incrementAndGet() >= 2_000) {
                            enough.countDown();
                        }
                    } catch (Exception crashed) {
                        return;
                    }
                }
            }, "test-publisher-" + p);
            t.start();
            publishers.add(t);
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).as("publishers got going").isTrue();
        hubProcess.kill(); // SIGKILL, mid-run
        for (Thread t : publishers) {
            t.join(15_000);
        }
        Set<String> acked = new HashSet<>(acknowledged);
        assertThat(acked.size()).isGreaterThanOrEqualTo(2_000);

        try (Hub hub = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(dataDir).build().start()) {
            String end = hub.publish(Update.builder().topic(TOPIC).data("end").build());
            List<String> replayed = new ArrayList<>();
            try (SseStream s = SseStream.open(TestHubs.url(hub,
                    "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8) + "&last_event_id=earliest"))) {
                SseEvent e;
                while (!(e = s.next(Duration.ofSeconds(10))).id().equals(end)) {
                    replayed.add(e.id());
                }
            }
            assertThat(replayed).doesNotHaveDuplicates();
            assertThat(replayed).containsAll(acked);
            // at most the one request each publisher had in flight was stored without its answer arriving
            assertThat(replayed.size() - acked.size()).isBetween(0, PUBLISHERS);
            int[] lastSeen = new int[PUBLISHERS];
            java.util.Arrays.fill(lastSeen, -1);
            for (String id : replayed) {
                int publisher = Integer.parseInt(id.substring(1, id.indexOf('-')));
                int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
                assertThat(n).as("publisher %d's updates in the order it sent them", publisher)
                        .isEqualTo(lastSeen[publisher] + 1);
                lastSeen[publisher] = n;
            }
        }
    }
}
