package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resource limits (Mercure §"Resource Limits", §"Subscription"), each configurable and each
 * answered with a clear status: connections in total (503), per client address (429), streams per
 * token subject (429), all with {@code Retry-After}; header timeout (408), idle connections,
 * request line (414), headers (431), body (413), matchers and pattern length (400).
 */
class LimitsTest {

    static final Duration WAIT = Duration.ofSeconds(3);
    static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n";

    static List<RawHttp> open(Hub hub, int n) throws Exception {
        List<RawHttp> connections = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RawHttp c = new RawHttp(hub.address());
            c.send(HEALTH);
            assertThat(c.read(WAIT).status()).isEqualTo(200);
            connections.add(c);
        }
        return connections;
    }

    static void closeAll(List<RawHttp> connections) throws Exception {
        for (RawHttp c : connections) {
            c.close();
        }
    }

    @Test
    void connectionsOverTheTotalGet503WithRetryAfterUntilOneCloses() throws Exception {
        try (Hub hub = TestHubs.builder().maxConnections(3).build().start()) {
            List<RawHttp> held = open(hub, 3);
            RawHttp.Response refused = RawHttp.exchange(hub.address(), HEALTH, WAIT);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            held.remove(0).close();
            await().atMost(WAIT).until(() -> RawHttp.exchange(hub.address(), HEALTH, WAIT).status() == 200);
            closeAll(held);
        }
    }

    @Test
    void connectionsOverThePerAddressLimitGet429WithRetryAfter() throws Exception {
        try (Hub hub = TestHubs.builder().maxConnectionsPerIp(2).build().start()) {
            List<RawHttp> held = open(hub, 2);
            RawHttp.Response refused = RawHttp.exchange(hub.address(), HEALTH, WAIT);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            closeAll(held);
            await().atMost(WAIT).until(() -> RawHttp.exchange(hub.address(), HEALTH, WAIT).status() == 200);
        }
    }

    @Test
    void streamsOverThePerSubjectLimitGet429WhileOtherSubjectsSubscribe() throws Exception {
        try (Hub hub = TestHubs.builder().maxStreamsPerSubject(2).build().start()) {
            String alice = Tokens.mint().subject("alice").subscribe("*").sign();
            String alice2 = Tokens.mint().subject("alice").subscribe("*").sign(); // another token, same subject
            String bob = Tokens.mint().subject("bob").subscribe("*").sign();
            SseStream a1 = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + alice);
            SseStream a2 = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + alice2);
            try (SseStream a3 = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + alice);
                 SseStream b1 = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + bob);
                 SseStream anonymous = SseStream.open(TestHubs.url(hub, "match=t"))) {
                assertThat(a1.status).isEqualTo(200);
                assertThat(a2.status).isEqualTo(200);
                assertThat(a3.status).isEqualTo(429);
                assertThat(a3.headers.firstValue("retry-after")).hasValue("5");
                assertThat(b1.status).isEqualTo(200);
                assertThat(anonymous.status).isEqualTo(200);
            }
            a1.close();
            await().atMost(WAIT).until(() -> {
                try (SseStream again = SseStream.open(TestHubs.url(hub, "match=t"), "Authorization", "Bearer " + alice)) {
                    return again.status == 200;
                }
            });
            a2.close();
        }
    }

    @Test
    void requestHeadersNotCompleteInTimeGet408AndTheConnectionCloses() throws Exception {
        try (Hub hub = TestHubs.builder().headerTimeout(Duration.ofMillis(300)).build().start();
             RawHttp slow = new RawHttp(hub.address())) {
            long start = System.nanoTime();
            slow.send("GET /healthz HTTP/1.1\r\nHost: hub\r\n"); // no blank line: headers never end
            RawHttp.Response r = slow.read(WAIT);
            assertThat(r.status()).isEqualTo(408);
            assertThat(slow.closedWithin(WAIT)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofMillis(2500));
        }
    }

    @Test
    void drippingHeaderBytesDoesNotExtendTheHeaderTimeout() throws Exception {
        try (Hub hub = TestHubs.builder().headerTimeout(Duration.ofMillis(400)).build().start();
             RawHttp slow = new RawHttp(hub.address())) {
            long start = System.nanoTime();
            String request = "GET /healthz HTTP/1.1\r\nHost: hub\r\nX-Slow: " + "a".repeat(40);
            boolean closed = false;
            for (int i = 0; i < request.length() && !closed; i++) {
                try {
                    slow.send(request.substring(i, i + 1));
                } catch (java.io.IOException e) {
                    break; // closed under us
                }
                closed = slow.closedWithin(Duration.ofMillis(50));
            }
            assertThat(closed || slow.closedWithin(WAIT)).isTrue();
            assertThat(slow.pending()).startsWith("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        }
    }

    @Test
    void silentConnectionIsClosedWithoutAResponse() throws Exception {
        try (Hub hub = TestHubs.builder().headerTimeout(Duration.ofMillis(300)).build().start();
             RawHttp silent = new RawHttp(hub.address())) {
            assertThat(silent.closedWithin(WAIT)).isTrue();
            assertThat(silent.pending()).isEmpty();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedButAStreamOutlivesTheIdleTimeout() throws Exception {
        try (Hub hub = TestHubs.builder().idleTimeout(Duration.ofMillis(400)).headerTimeout(Duration.ofMillis(400))
                .heartbeat(Duration.ofSeconds(30)).build().start();
             RawHttp idle = new RawHttp(hub.address());
             SseStream stream = SseStream.open(TestHubs.url(hub, "match=t"))) {
            idle.send(HEALTH);
            assertThat(idle.read(WAIT).status()).isEqualTo(200);
            idle.send(HEALTH); // activity keeps it open
            assertThat(idle.read(WAIT).status()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(idle.closedWithin(WAIT)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(300));
            Thread.sleep(600); // the stream is now older than both timeouts, with no heartbeat sent
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "t", "data", "still here");
            assertThat(stream.next().data()).isEqualTo("still here");
        }
    }

    @Test
    void http2StreamOutlivesItsConnectionsHeaderAndIdleTimeouts() throws Exception {
        try (Hub hub = TestHubs.builder().idleTimeout(Duration.ofMillis(300)).headerTimeout(Duration.ofMillis(300))
                .heartbeat(Duration.ofSeconds(30)).build().start()) {
            java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_2).build();
            java.net.http.HttpResponse<java.io.InputStream> r = h2.send(java.net.http.HttpRequest.newBuilder(
                    TestHubs.url(hub, "match=h2")).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream body = r.body()) {
                assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
                Thread.sleep(1000); // several header and idle periods, no heartbeat
                Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "h2", "data", "over h2");
                byte[] buf = new byte[256];
                StringBuilder got = new StringBuilder();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!got.toString().contains("data: over h2") && System.nanoTime() < deadline) {
                    int n = body.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                }
                assertThat(got.toString()).contains("data: over h2");
            }
        }
    }

    @Test
    void oversizedRequestLineHeadersAndBodyGet414431And413() throws Exception {
        try (Hub hub = TestHubs.builder().maxRequestLineLength(1024).maxHeaderSize(2048).maxDataBytes(1024).build().start()) {
            RawHttp.Response line = RawHttp.exchange(hub.address(),
                    "GET /healthz?" + "a".repeat(1100) + " HTTP/1.1\r\nHost: hub\r\n\r\n", WAIT);
            assertThat(line.status()).isEqualTo(414);
            RawHttp.Response headers = RawHttp.exchange(hub.address(),
                    "GET /healthz HTTP/1.1\r\nHost: hub\r\nX-Big: " + "a".repeat(2100) + "\r\n\r\n", WAIT);
            assertThat(headers.status()).isEqualTo(431);
            int tooBig = 1024 * 3 + 256 * 1024 + 1;
            RawHttp.Response body = RawHttp.exchange(hub.address(), "POST /.well-known/mercure HTTP/1.1\r\nHost: hub\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + tooBig + "\r\n\r\n", WAIT);
            assertThat(body.status()).isEqualTo(413);
        }
    }

    @Test
    void tooManyMatchersAndTooLongPatternsGet400() throws Exception {
        try (Hub hub = TestHubs.builder().maxMatchers(3).maxTopicLength(64).build().start()) {
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=a&match=b&match=c&match=d"))) {
                assertThat(s.status).isEqualTo(400);
                assertThat(s.errorBody).containsIgnoringCase("matchers");
            }
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match_urlpattern=https://example.com/" + "a".repeat(60)))) {
                assertThat(s.status).isEqualTo(400);
            }
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=a&match=b&match=c"))) {
                assertThat(s.status).isEqualTo(200);
            }
        }
    }
}
