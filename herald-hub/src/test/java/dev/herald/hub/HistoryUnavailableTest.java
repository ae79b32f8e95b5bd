package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.BlockingMemoryStore;
import dev.herald.hub.test.External;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history that cannot store (full disk, I/O errors): publishes get 503 with Retry-After, subscribers
 * keep being served, and publishing resumes by itself once the history can store again.
 */
class HistoryUnavailableTest {

    static final String TOPIC = "https://example.com/feed";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A blocking store (so the hub's writer thread path is used) that refuses appends while {@link #full}. */
    static final class SwitchableStore extends BlockingMemoryStore {
        volatile boolean full;

        @Override
        protected void beforeAppend(HistoryEntry entry) {
            if (full) {
                throw new HistoryUnavailableException("disk full", Duration.ofSeconds(7), null);
            }
        }
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI readyz(Hub hub) {
        return hub.url().resolve("/readyz");
    }

    @Test
    void aRefusingHistoryGives503WithRetryAfterWhileStreamsGoOnThenRecoversByItself() throws Exception {
        SwitchableStore store = new SwitchableStore();
        try (Hub hub = TestHubs.builder().historyStore(store).build().start();
             SseStream live = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)))) {
            String token = TestHubs.publisherToken();
            String before = Publish.ok(hub.url(), token, "topic", TOPIC, "data", "before");
            assertThat(live.next().data()).isEqualTo("before");

            store.full = true;
            HttpResponse<String> refused = Publish.post(hub.url(), token, Publish.form("topic", TOPIC, "data", "lost"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("7");
            assertThat(refused.body()).contains("retry later");
            assertThat(get(readyz(hub)).statusCode()).isEqualTo(503);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.publish(Update.of(TOPIC, "in-process")))
                    .isInstanceOf(HistoryUnavailableException.class);

            // subscribers are still served: a reconnection replays what was stored
            try (SseStream again = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=earliest"))) {
                assertThat(again.status).isEqualTo(200);
                assertThat(again.next().id()).isEqualTo(before);
                assertThat(again.poll(Duration.ofMillis(200))).as("the refused update was not dispatched").isNull();
            }

            store.full = false;
            String after = Publish.ok(hub.url(), token, "topic", TOPIC, "data", "after");
            SseEvent next = live.next();
            assertThat(next.id()).isEqualTo(after);
            assertThat(get(readyz(hub)).statusCode()).isEqualTo(200);
        }
    }

    /**
     * A real full disk: the data directory on a 4 MiB tmpfs that a 3 MiB file fills but for 1 MiB;
     * deleting the file leaves room for the checkpoint to copy the whole WAL into the database file
     * (on a disk with less room than that, readiness flips until a checkpoint fits). Needs permission
     * to mount (root, as in CI); skipped elsewhere, failed when {@code HERALD_REQUIRE_ALL_TESTS=1}. The SQLite error path
     * itself is also covered without a mount by SqliteHistoryStoreTest and FullDiskReadinessTest.
     */
    @Test
    void aFullDiskGives503AndPublishingResumesOnceSpaceIsFreed(@TempDir Path mountPoint) throws Exception {
        if (!run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString())) {
            throw External.unavailable("cannot mount a tmpfs here (needs root): this test is skipped.");
        }
        try {
            Path filler = mountPoint.resolve("filler");
            Files.write(filler, new byte[3 * 1024 * 1024]);
            try (Hub hub = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(mountPoint.resolve("data"))
                    .build().start()) {
                String token = TestHubs.publisherToken();
                String data = "y".repeat(8 * 1024);
                String lastStored = null;
                HttpResponse<String> r = null;
                for (int i = 0; i < 500; i++) {
                    r = Publish.post(hub.url(), token, Publish.form("topic", TOPIC, "data", data));
                    if (r.statusCode() != 200) {
                        break;
                    }
                    lastStored = r.body();
                }
                assertThat(lastStored).as("some publishes fit").isNotNull();
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("retry-after")).hasValue("5");
                assertThat(get(readyz(hub)).statusCode()).isEqualTo(503);

                try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", lastStored)) {
                    assertThat(s.status).as("subscribers are served on a full disk").isEqualTo(200);
                    Files.delete(filler); // space returns
                    await("ready again before any publish").atMost(Duration.ofSeconds(5))
                            .until(() -> get(readyz(hub)).statusCode() == 200);
                    // the background checkpoint, copying the WAL into the database file, may take
                    // some of the freed space for a moment: a publisher retries after its
                    // Retry-After, as this one does, and is stored within seconds
                    String after = await("a publish is stored again").atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> {
                                HttpResponse<String> p = Publish.post(hub.url(), token,
                                        Publish.form("topic", TOPIC, "data", "after"));
                                return p.statusCode() == 200 ? p.body() : null;
                            }, java.util.Objects::nonNull);
                    assertThat(s.next().id()).isEqualTo(after);
                }
            }
        } finally {
            run("umount", "-l", mountPoint.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return false;
        }
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
