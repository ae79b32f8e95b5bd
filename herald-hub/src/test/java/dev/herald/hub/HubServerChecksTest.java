package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import dev.herald.sse.SseListener;
import dev.herald.sse.SseParser;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub-side checks HS-01 to HS-06 of {@code shared/conformance/client-scenarios.md}. */
class HubServerChecksTest {

    static Hub hub;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().heartbeat(Duration.ofMillis(200)).build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** A raw-socket subscriber: what the hub writes, byte for byte. */
    static final class RawSubscriber implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        RawSubscriber(String query, String... extraHeaderLines) throws Exception {
            socket = new Socket("127.0.0.1", hub.address().getPort());
            socket.setSoTimeout(50);
            StringBuilder req = new StringBuilder("GET /.well-known/mercure?" + query + " HTTP/1.1\r\nHost: hub\r\n");
            for (String h : extraHeaderLines) {
                req.append(h).append("\r\n");
            }
            socket.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            in = socket.getInputStream();
        }

        /** Reads until {@code text} has arrived or {@code timeout} passed; returns everything so far. */
        String readUntil(String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] buf = new byte[8192];
            while (!received.toString(StandardCharsets.UTF_8).contains(text) && System.nanoTime() < deadline) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    received.write(buf, 0, n);
                } catch (SocketTimeoutException ignored) {
                    // poll again
                }
            }
            return received.toString(StandardCharsets.UTF_8);
        }

        String body() {
            String all = received.toString(StandardCharsets.UTF_8);
            return all.substring(all.indexOf("\r\n\r\n") + 4);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void hs01_headersHaveNoContentLengthAndEventsArriveWithin100ms() throws Exception {
        try (RawSubscriber s = new RawSubscriber("match=hs01")) {
            String head = s.readUntil("\r\n\r\n", Duration.ofSeconds(5));
            assertThat(head).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-type: text/event-stream")
                    .containsIgnoringCase("cache-control: no-cache").doesNotContainIgnoringCase("content-length")
                    .doesNotContainIgnoringCase("content-encoding");
            long published = System.nanoTime();
            hub.publish(Update.of("hs01", "ping"));
            assertThat(s.readUntil("data: ping\n\n", Duration.ofSeconds(1))).contains("data: ping\n\n");
            assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(Duration.ofMillis(100));
        }
    }

    @Test
    void hs02_dataRoundTripsThroughTheParserWithLineBreaksNormalisedToLf() throws Exception {
        List<String> published = List.of("a\nb", "a\r\nb", "a\rb", " leading space", ":leading colon", "\n\nempty lines\n\n",
                "", "\uFEFFbom", "nul\u0000inside", "non-BMP \uD83D\uDE00", "  two spaces");
        try (RawSubscriber s = new RawSubscriber("match=hs02")) {
            s.readUntil("\r\n\r\n", Duration.ofSeconds(5));
            String token = TestHubs.publisherToken();
            for (int i = 0; i < published.size(); i++) {
                Publish.ok(hub.url(), token, "topic", "hs02", "data", published.get(i), "id", "hs02-" + i);
            }
            s.readUntil("id: hs02-" + (published.size() - 1), Duration.ofSeconds(5));
            s.readUntil("\n\n", Duration.ofMillis(300));
            List<SseEvent> events = new ArrayList<>();
            SseParser parser = SseParser.create(new SseListener() {
                @Override
                public void onEvent(SseEvent event) {
                    events.add(event);
                }
            });
            parser.feed(s.body().getBytes(StandardCharsets.UTF_8));
            assertThat(events).extracting(SseEvent::data).containsExactlyElementsOf(
                    published.stream().map(d -> d.replace("\r\n", "\n").replace('\r', '\n')).toList());
        }
    }

    @Test
    void hs03_idOrTypeWithLineBreaksOrNulIsRefusedAndRetryIsDigitsOnly() throws Exception {
        String token = TestHubs.publisherToken();
        for (String[] bad : new String[][] {{"id", "a\rb"}, {"id", "a\nb"}, {"id", "a\u0000b"},
                {"type", "a\rb"}, {"type", "a\nb"}, {"type", "a\u0000b"}, {"retry", "12a"}, {"retry", " 1"}}) {
            assertThat(Publish.post(hub.url(), token, Publish.form("topic", "hs03", bad[0], bad[1])).statusCode())
                    .as(bad[0] + "=" + bad[1].replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0"))
                    .isEqualTo(400);
        }
    }

    @Test
    void hs04_nonAsciiLastEventIdIsAcceptedAndResumesExactly() throws Exception {
        String token = TestHubs.publisherToken();
        Publish.ok(hub.url(), token, "topic", "hs04", "data", "first", "id", "café-ü-1");
        Publish.ok(hub.url(), token, "topic", "hs04", "data", "second", "id", "café-ü-2");
        try (RawSubscriber s = new RawSubscriber("match=hs04", "Last-Event-ID: café-ü-1")) {
            String all = s.readUntil("data: second", Duration.ofSeconds(5));
            assertThat(all).contains("Mercure-Last-Event-ID: café-ü-1").doesNotContain("data: first")
                    .contains("id: café-ü-2\ndata: second");
        }
    }

    @Test
    void hs05_idleStreamGetsKeepAliveCommentsAtAboutTheConfiguredRateAndNoEvents() throws Exception {
        try (RawSubscriber s = new RawSubscriber("match=hs05")) {
            s.readUntil("never", Duration.ofMillis(1200));
            String body = s.body();
            long comments = body.lines().filter(l -> l.startsWith(":")).count();
            assertThat(comments).isBetween(3L, 12L);
            List<SseEvent> events = new ArrayList<>();
            SseParser.create(events::add).feed(body.getBytes(StandardCharsets.UTF_8));
            assertThat(events).isEmpty();
        }
    }

    @Test
    void hs06_closedSocketIsReleasedWithinTheKeepAliveInterval() throws Exception {
        // a hub of its own: the shared one's count moves as other tests' streams close
        Hub own = TestHubs.builder().heartbeat(Duration.ofSeconds(1)).build().start();
        try (Socket socket = new Socket("127.0.0.1", own.address().getPort())) {
            socket.getOutputStream().write("GET /.well-known/mercure?match=hs06 HTTP/1.1\r\nHost: hub\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> own.subscriberCount() == 1);
            socket.close();
            await().atMost(Duration.ofSeconds(1)).until(() -> own.subscriberCount() == 0);
        } finally {
            own.close();
        }
    }

    @Test
    void hs06_aSubscriberThatStopsReadingDoesNotDelayTheOthers() throws Exception {
        try (RawSubscriber stuck = new RawSubscriber("match=hs06b");
             SseStream healthy = SseStream.open(TestHubs.url(hub, "match=hs06b"))) {
            stuck.readUntil("\r\n\r\n", Duration.ofSeconds(5));
            String big = "y".repeat(32 * 1024);
            for (int i = 0; i < 50; i++) {
                long t = System.nanoTime();
                hub.publish(Update.of("hs06b", i + big));
                assertThat(healthy.next(Duration.ofSeconds(2)).data()).startsWith(Integer.toString(i));
                assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(500));
            }
        }
    }
}
