package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A subscriber that stops reading never holds up the others and is disconnected, not buffered without bound. */
class SlowSubscriberTest {

    /** On one event loop both streams share a subscriber list, from which the slow one is removed mid-delivery. */
    @ParameterizedTest(name = "{0} event loop(s)")
    @ValueSource(ints = {1, 2})
    void neverReadingSubscriberIsDisconnectedWhileAHealthyOneGetsEverything(int eventLoops) throws Exception {
        try (Hub hub = TestHubs.builder().eventLoopThreads(eventLoops).maxStallTime(Duration.ofMillis(500)).maxBacklogBytes(256 * 1024)
                .maxDataBytes(128 * 1024).build().start()) {
            String topic = "https://example.com/firehose";
            try (Socket slow = new Socket("127.0.0.1", hub.address().getPort())) {
                slow.setReceiveBufferSize(4096); // keep the kernel from absorbing the test's whole output
                OutputStream out = slow.getOutputStream();
                out.write(("GET /.well-known/mercure?match=" + java.net.URLEncoder.encode(topic, StandardCharsets.UTF_8)
                        + " HTTP/1.1\r\nHost: hub\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 1);

                try (SseStream healthy = SseStream.open(TestHubs.url(hub, "match=" + java.net.URLEncoder.encode(topic,
                        StandardCharsets.UTF_8)))) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscriberCount() == 2);
                    String payload = "x".repeat(64 * 1024);
                    int n = 300; // ~19 MB: far beyond what the never-reading client's socket buffers hold
                    for (int i = 0; i < n; i++) {
                        hub.publish(Update.of(topic, i + ":" + payload));
                        // the healthy subscriber keeps pace: it is never the one found slow
                        assertThat(healthy.next(Duration.ofSeconds(10)).data()).startsWith(i + ":");
                    }
                    await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount() == 1);
                }
            }
        }
    }
}
