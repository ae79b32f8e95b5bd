package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code herald serve --dev}, {@code --demo}, {@code --no-ui} and {@code --subscriptions}: the web UI, its dev
 * token, the demo publisher and active subscriptions.
 */
class ServeUiOptionsTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** Starts {@code herald serve ARGS} and returns it with the base URL from its log line. */
    private static Object[] serve(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), HeraldCommand.class.getName(), "serve", "--addr", "127.0.0.1:0",
                "--history", "memory"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on (http://[^/\\s]+)/");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new Object[] {p, m.group(1)};
            }
        }
        p.destroyForcibly();
        throw new AssertionError("no listening line");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stop(Process p) throws Exception {
        p.destroy();
        assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void devModeServesTheUiWithAWorkingTokenAndRunsTheDemo() throws Exception {
        Object[] s = serve("--dev");
        Process p = (Process) s[0];
        String base = (String) s[1];
        try {
            assertThat(get(base + "/").statusCode()).isEqualTo(200);
            JsonNode config = new ObjectMapper().readTree(get(base + "/ui/api/config").body());
            assertThat(config.get("demo").asBoolean()).isTrue();
            String token = config.get("token").asText();
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/mercure"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("topic=https://example.com/x&data=hi")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(metadata(base).get("mercure_subscriptions").asBoolean()).as("--dev tracks subscriptions").isTrue();
            HttpResponse<String> viewers = CLIENT.send(HttpRequest.newBuilder(URI.create(base
                    + "/.well-known/mercure/subscriptions")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(viewers.statusCode()).isEqualTo(200);
            assertThat(get(base + "/demo/presence").statusCode()).isEqualTo(200);
            // the UI's token minter signs with the generated key: its token publishes where it grants, not elsewhere
            assertThat(config.get("minter").asBoolean()).isTrue();
            HttpResponse<String> minted = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/ui/api/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("publish=https%3A%2F%2Fexample.com%2Fminted&lifetime=60"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
            String mintedToken = new ObjectMapper().readTree(minted.body()).get("token").asText();
            for (String[] topicAndStatus : new String[][] {{"https://example.com/minted", "200"}, {"https://example.com/x", "403"}}) {
                assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/mercure"))
                        .header("Authorization", "Bearer " + mintedToken)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("topic=" + topicAndStatus[0] + "&data=hi")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(Integer.parseInt(topicAndStatus[1]));
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    new ObjectMapper().readTree(get(base + "/ui/api/stats").body()).get("published").asLong() > 20);
        } finally {
            stop(p);
        }
    }

    @Test
    void noUiServesNoPageNorTokenButKeepsMetrics() throws Exception {
        Object[] s = serve("--no-ui", "--anonymous");
        Process p = (Process) s[0];
        String base = (String) s[1];
        try {
            assertThat(get(base + "/").statusCode()).isEqualTo(404);
            assertThat(get(base + "/ui/api/config").statusCode()).isEqualTo(404);
            assertThat(get(base + "/metrics").statusCode()).isEqualTo(200);
            assertThat(get(base + "/.well-known/mercure/subscriptions").statusCode()).as("off by default").isEqualTo(404);
            assertThat(metadata(base).has("mercure_subscriptions")).isFalse();
        } finally {
            stop(p);
        }
    }

    @Test
    void subscriptionsFlagServesTheSubscriptionApiAndAdvertisesIt() throws Exception {
        Object[] s = serve("--subscriptions", "--anonymous", "--no-ui");
        Process p = (Process) s[0];
        String base = (String) s[1];
        try {
            assertThat(metadata(base).get("mercure_subscriptions").asBoolean()).isTrue();
            assertThat(get(base + "/.well-known/mercure/subscriptions").statusCode()).as("a token is required")
                    .isEqualTo(401);
        } finally {
            stop(p);
        }
    }

    private static JsonNode metadata(String base) throws Exception {
        return new ObjectMapper().readTree(get(base + "/.well-known/oauth-protected-resource/.well-known/mercure").body());
    }

    @Test
    void theStartUpLineMentionsTheDemosOnlyWhenTheyRun() throws Exception {
        Process plain = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--anonymous");
        try {
            assertThat(HeraldProcess.awaitLine(plain, "web UI on")).doesNotContain("demo");
        } finally {
            stop(plain);
        }
        Process demo = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--anonymous",
                "--demo");
        try {
            assertThat(HeraldProcess.awaitLine(demo, "web UI on")).contains("(demos under http://127.0.0.1:");
        } finally {
            stop(demo);
        }
    }
}
