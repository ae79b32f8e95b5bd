package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: streams get a final retry hint and are closed; the port is released. */
class ShutdownTest {

    @Test
    void closeSendsEveryStreamARetryHintThenEndsIt() throws Exception {
        Hub hub = TestHubs.builder().shutdownRetry(Duration.ofMillis(1500)).build().start();
        int port = hub.address().getPort();
        try (Socket raw = new Socket("127.0.0.1", port);
             SseStream parsed = SseStream.open(TestHubs.url(hub, "match=t"))) {
            raw.getOutputStream().write("GET /.well-known/mercure?match=t HTTP/1.1\r\nHost: h\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "t", "data", "before");
            assertThat(parsed.next().data()).isEqualTo("before");
            raw.setSoTimeout(10_000);
            InputStream in = raw.getInputStream();
            long started = System.nanoTime();
            hub.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8); // returns at EOF: the hub closed it
            assertThat(all).contains("HTTP/1.1 200").contains("data: before").endsWith("retry: 1500\n\n");
            parsed.awaitEnd(Duration.ofSeconds(5));
        }
        // the port is free again
        try (java.net.ServerSocket again = new java.net.ServerSocket(port)) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void publishAfterCloseIsRefused() {
        Hub hub = TestHubs.start();
        hub.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.publish(Update.of("t", "x")))
                .isInstanceOf(IllegalStateException.class);
    }
}
