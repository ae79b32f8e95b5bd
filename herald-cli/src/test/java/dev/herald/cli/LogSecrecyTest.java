package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No token ever reaches the log: {@code herald serve} at DEBUG, in both log formats, answers requests
 * carrying valid, forged, too narrow and malformed tokens in every place a client puts one (header,
 * cookie, query string), and no log line contains a token or its signature.
 */
class LogSecrecyTest {

    static final String KEY = "log-secrecy-test-key-0123456789abcdef0123";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @ParameterizedTest(name = "--log-format {0}")
    @ValueSource(strings = {"text", "json"})
    void noLogLineContainsAToken(String format) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String audience = "http://localhost:" + port + "/.well-known/mercure";
        String valid = TokenMinter.mint(KEY, "HS256", "herald", audience, "log-test", List.of("https://example.com/mine"),
                List.of("*"), false, Duration.ofMinutes(5));
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "c2lnbmF0dXJlLW9mLWEtZm9yZ2VyeS0xMjM0NTY3ODkw";
        String otherAudience = TokenMinter.mint(KEY, "HS256", "herald", "https://elsewhere.example", "log-test",
                List.of("*"), List.of("*"), false, Duration.ofMinutes(5));
        List<String> secrets = List.of(valid, forged, otherAudience);

        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:" + port, "--history", "memory", "--no-ui",
                "--publisher-jwt-key", KEY, "--log-format", format, "--log-level", "DEBUG");
        List<String> lines = new ArrayList<>();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> out.lines().forEach(l -> {
            synchronized (lines) {
                lines.add(l);
            }
        }));
        reader.setDaemon(true);
        reader.start();
        try {
            URI hub = URI.create("http://127.0.0.1:" + port + "/.well-known/mercure");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> reachable(hub));

            assertThat(publish(hub, "Authorization", "Bearer " + valid, "https://example.com/mine")).isEqualTo(200);
            assertThat(publish(hub, "Authorization", "Bearer " + valid, "https://example.com/theirs")).isEqualTo(403);
            assertThat(publish(hub, "Authorization", "Bearer " + forged, "https://example.com/mine")).isEqualTo(401);
            assertThat(publish(hub, "Authorization", "Bearer " + otherAudience, "https://example.com/mine")).isEqualTo(401);
            assertThat(publish(hub, "Authorization", "Bearer " + valid + " " + forged, "https://example.com/mine"))
                    .isEqualTo(400);
            assertThat(publish(hub, "Cookie", "mercureAuthorization=" + forged, "https://example.com/mine")).isIn(401, 403);
            for (String token : secrets) {
                assertThat(subscribe(URI.create(hub + "?match=*&authorization=" + URLEncoder.encode(token,
                        StandardCharsets.UTF_8)), "Authorization", "Bearer " + token)).isIn(200, 401);
                subscribe(URI.create(hub + "?match=*"), "Cookie", "mercureAuthorization=" + token);
            }
        } finally {
            p.toHandle().destroy(); // SIGTERM; unlike Process.destroy it leaves our end of the output open, for the last lines
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
        reader.join(10_000); // it ends with the output
        List<String> log;
        synchronized (lines) {
            log = List.copyOf(lines);
        }
        assertThat(log).as("the hub logged the refusals at DEBUG").anyMatch(l -> l.contains("publish refused"));
        assertThat(log).anyMatch(l -> l.contains("stopped"));
        for (String line : log) {
            for (String secret : secrets) {
                String signature = secret.substring(secret.lastIndexOf('.') + 1);
                assertThat(line).as("a log line").doesNotContain(secret).doesNotContain(signature);
            }
        }
        if (format.equals("json")) {
            ObjectMapper json = new ObjectMapper();
            for (String line : log) {
                JsonNode event = json.readTree(line);
                assertThat(event.has("level") && event.has("formattedMessage")).as(line).isTrue();
            }
        }
    }

    private static boolean reachable(URI hub) {
        try {
            CLIENT.send(HttpRequest.newBuilder(hub.resolve("/healthz")).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int publish(URI hub, String header, String value, String topic) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(hub).header(header, value)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                        + "&data=x")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Opens a stream and drops it at once; the status. */
    private static int subscribe(URI uri, String header, String value) throws Exception {
        HttpResponse<java.io.InputStream> r = CLIENT.send(HttpRequest.newBuilder(uri).header(header, value).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }
}
