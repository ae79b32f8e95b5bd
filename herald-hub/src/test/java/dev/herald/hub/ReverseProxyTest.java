package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.External;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx configuration of {@code docs/proxies.md}, run as written (only its two addresses changed,
 * to loopback ports of this test) with the installed nginx in front of a hub: streams open through it,
 * each update arrives as soon as it is published (nothing buffered), a reconnect with
 * {@code Last-Event-ID} replays, and the heartbeat passes through.
 */
class ReverseProxyTest {

    static final Path DOC = Path.of("..", "docs", "proxies.md");
    static final String MARKER = "<!-- ReverseProxyTest:";
    static final Duration PROMPTLY = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    static Hub hub;
    static Process nginx;
    static URI proxied;

    @BeforeAll
    static void start() throws Exception {
        Path program = External.require("nginx", "nginx");
        hub = TestHubs.builder().heartbeat(Duration.ofSeconds(1)).build().start();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String server = documentedConfiguration()
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + hub.address().getPort() + ";")
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";");
        String conf = "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\nerror_log "
                + dir.resolve("error.log") + " warn;\nevents { worker_connections 256; }\nhttp {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + dir.resolve("body") + ";\n  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + server + "\n}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        nginx = new ProcessBuilder(program.toString(), "-p", dir.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        proxied = URI.create("http://127.0.0.1:" + port + HubConfig.DEFAULT_HUB_PATH);
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> client.send(
                HttpRequest.newBuilder(proxied.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (hub != null) {
            hub.close();
        }
    }

    /** The nginx block after the marker in docs/proxies.md. */
    static String documentedConfiguration() throws Exception {
        String doc = Files.readString(DOC);
        Matcher m = Pattern.compile(Pattern.quote(MARKER) + "[^\\n]*\\n```nginx\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("the tested nginx block in " + DOC).isTrue();
        return m.group(1);
    }

    @Test
    void updatesPublishedThroughNginxReachStreamsThroughNginxAtOnce() throws Exception {
        String topic = "https://example.com/proxied/1";
        try (SseStream s = SseStream.open(URI.create(proxied + "?match=" + java.net.URLEncoder.encode(topic,
                java.nio.charset.StandardCharsets.UTF_8)))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscriberCount() >= 1);
            for (String data : List.of("one", "two", "three")) {
                long start = System.nanoTime();
                Publish.ok(proxied, TestHubs.publisherToken(), "topic", topic, "data", data);
                assertThat(s.next(PROMPTLY).data()).isEqualTo(data); // not held in a proxy buffer
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
            }
        }
    }

    @Test
    void aReconnectThroughNginxWithLastEventIdReplaysWhatWasMissed() throws Exception {
        String topic = "https://example.com/proxied/replay";
        String first = Publish.ok(proxied, TestHubs.publisherToken(), "topic", topic, "data", "first");
        Publish.ok(proxied, TestHubs.publisherToken(), "topic", topic, "data", "missed");
        try (SseStream s = SseStream.open(URI.create(proxied + "?match=" + java.net.URLEncoder.encode(topic,
                java.nio.charset.StandardCharsets.UTF_8)), "Last-Event-ID", first)) {
            assertThat(s.next(PROMPTLY).data()).isEqualTo("missed");
        }
    }

    @Test
    void keepAliveCommentsPassThroughSoAQuietStreamStaysOpen() throws Exception {
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(proxied + "?match=https%3A%2F%2Fexample.com%2Fquiet")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        try (java.io.InputStream in = r.body()) {
            byte[] two = in.readNBytes(2); // the hub's heartbeat (1 s here) comes through nginx unbuffered
            assertThat(new String(two, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(":\n");
        }
    }
}
