package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.BlockingMemoryStore;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.TestHubs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 requests pipelined on one connection are answered in the order they were sent
 * (RFC 9112 §9.3.2), even when the first is answered late because its publish waits for the
 * history, which a durable store makes the common case.
 */
class PipeliningTest {

    /** Appends wait until {@link #open}. */
    static final class GatedStore extends BlockingMemoryStore {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch appending = new CountDownLatch(1);

        void open() {
            gate.countDown();
        }

        @Override
        protected void beforeAppend(HistoryEntry entry) {
            appending.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String publish(String id) {
        String body = "topic=t&id=" + id;
        return "POST /.well-known/mercure HTTP/1.1\r\nHost: hub\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer " + TestHubs.publisherToken()
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void aRequestPipelinedBehindAPublishWaitingForTheHistoryIsAnsweredAfterIt() throws Exception {
        GatedStore store = new GatedStore();
        try (Hub hub = TestHubs.builder().historyStore(store).build().start();
             RawHttp raw = new RawHttp(hub.address())) {
            raw.send(publish("first") + "GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n" + publish("second"));
            assertThat(store.appending.await(5, TimeUnit.SECONDS)).isTrue();
            // /healthz is answered inline, but must not overtake the publish still being stored
            assertThat(raw.read(Duration.ofMillis(300)).status()).isEqualTo(RawHttp.SILENT);

            store.open();
            RawHttp.Response first = raw.read(Duration.ofSeconds(5));
            RawHttp.Response health = raw.read(Duration.ofSeconds(5));
            RawHttp.Response second = raw.read(Duration.ofSeconds(5));
            assertThat(List.of(first.status(), health.status(), second.status())).containsExactly(200, 200, 200);
            assertThat(List.of(first.body(), health.body(), second.body())).containsExactly("first", "ok\n", "second");
        }
    }

    @Test
    void aSubscriptionPipelinedBehindAPublishStartsAfterThePublishIsAnswered() throws Exception {
        GatedStore store = new GatedStore();
        try (Hub hub = TestHubs.builder().historyStore(store).build().start();
             RawHttp raw = new RawHttp(hub.address())) {
            raw.send(publish("first") + "GET /.well-known/mercure?match=t HTTP/1.1\r\nHost: hub\r\n\r\n");
            assertThat(store.appending.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(raw.read(Duration.ofMillis(300)).status()).isEqualTo(RawHttp.SILENT);

            store.open();
            RawHttp.Response published = raw.read(Duration.ofSeconds(5));
            assertThat(published.status()).isEqualTo(200);
            assertThat(published.body()).isEqualTo("first");
            RawHttp.Response stream = raw.read(Duration.ofSeconds(5));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
        }
    }
}
