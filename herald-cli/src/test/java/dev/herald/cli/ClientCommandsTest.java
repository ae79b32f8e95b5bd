package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import dev.herald.hub.Update;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald publish}, {@code herald subscribe} and {@code herald token} against a real hub (embedded
 * in the test JVM, with a key the tests mint tokens with): what they print, and the exit codes and
 * one-line errors scripts rely on.
 */
class ClientCommandsTest {

    static final String KEY = "client-commands-test-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Hub hub;
    String publisherToken;

    @BeforeEach
    void startHub() {
        hub = Hub.builder().address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).history(HistoryKind.MEMORY)
                .publisherJwtKey(KEY).anonymous(true).ui(false).build().start();
        publisherToken = mint(List.of("*"), List.of());
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private String mint(List<String> publish, List<String> subscribe) {
        return TokenMinter.mint(KEY, "HS256", "herald", hub.config().jwtAudience(), "test", publish, subscribe, false,
                Duration.ofMinutes(5));
    }

    private Map<String, String> env(String token) {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_HUB_URL", hub.url().toString());
        env.put("HERALD_TOKEN", token);
        return env;
    }

    private HeraldProcess.Result herald(Map<String, String> env, String... args) throws Exception {
        return HeraldProcess.run(env, null, args);
    }

    @Test
    void publishPrintsTheIdAndTheUpdateCarriesEveryField() throws Exception {
        HeraldProcess.Result r = herald(env(publisherToken), "publish", "-t", "https://example.com/books/1", "-t",
                "https://example.com/books", "--data", "{\"title\":\"Dune\"}", "--id", "urn:isbn:9780441172719",
                "--type", "bookUpdated", "--retry", "5s");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("urn:isbn:9780441172719\n");
        assertThat(r.err()).isEmpty();
        String stream = replay("https://example.com/books", "data: {\"title\":\"Dune\"}");
        assertThat(stream).contains("id: urn:isbn:9780441172719", "event: bookUpdated", "retry: 5000");
    }

    @Test
    void dataComesFromAFileOrStandardInputWithoutItsFinalLineBreak() throws Exception {
        Path file = dir.resolve("book.json");
        Files.writeString(file, "{\"title\":\"Emma\"}\n");
        assertThat(herald(env(publisherToken), "publish", "-t", "https://example.com/a", "--data-file", file.toString())
                .exitCode()).isZero();
        HeraldProcess.Result piped = HeraldProcess.run(env(publisherToken), "line one\nline two\n", "publish", "-t",
                "https://example.com/b", "--data-file", "-");
        assertThat(piped.exitCode()).as(piped.err()).isZero();
        HeraldProcess.Result sub = herald(env(null), "subscribe", "*", "--last-event-id", "earliest", "--count", "2",
                "--format", "json");
        assertThat(sub.exitCode()).as(sub.err()).isZero();
        List<String> lines = sub.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get("data").asText()).isEqualTo("{\"title\":\"Emma\"}");
        assertThat(JSON.readTree(lines.get(1)).get("data").asText()).isEqualTo("line one\nline two");
    }

    @Test
    void subscribeFollowsLiveUpdatesOfItsMatchersAndExitsAfterCount() throws Exception {
        Process p = HeraldProcess.start(env(null), "subscribe", "--match-urlpattern", "https://example.com/books/:id",
                "--matcher", "urlpattern=https://example.com/news", "--match", "https://example.com/authors/2",
                "--count", "3", "--format", "json");
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.subscriberCount() == 1);
        hub.publish(Update.builder("https://example.com/books/7").data("seven").build());
        hub.publish(Update.builder("https://example.com/authors/1").data("not followed").build());
        hub.publish(Update.builder("https://example.com/news").type("story").data("extra").build());
        hub.publish(Update.builder("https://example.com/authors/2").data("two").build());
        HeraldProcess.Result r = HeraldProcess.finish(p);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).extracting(e -> e.get("data").asText()).containsExactly("seven", "extra", "two");
        assertThat(events.get(1).get("type").asText()).isEqualTo("story");
        assertThat(events.get(0).get("id").asText()).startsWith("urn:uuid:");
    }

    @Test
    void prettyOutputShowsTypeIdAndIndentedJsonAndRawOutputIsAnEventStream() throws Exception {
        hub.publish(Update.builder("https://example.com/x").id("urn:x:1").type("thing").data("{\"a\":1}").build());
        HeraldProcess.Result pretty = herald(env(null), "subscribe", "https://example.com/x", "--last-event-id", "earliest",
                "-n", "1");
        assertThat(pretty.out()).isEqualTo("thing  urn:x:1\n{\n  \"a\" : 1\n}\n\n");
        assertThat(pretty.err()).startsWith("subscribed to " + hub.url());
        HeraldProcess.Result raw = herald(env(null), "subscribe", "https://example.com/x", "--last-event-id", "earliest",
                "-n", "1", "--format", "raw");
        assertThat(raw.out()).isEqualTo("id: urn:x:1\nevent: thing\ndata: {\"a\":1}\n\n");
    }

    @Test
    void subscribeReconnectsWithTheLastEventIdAfterTheHubRestarts() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String[] serve = {"--addr", "127.0.0.1:" + port, "--history", "memory", "--no-ui", "--anonymous",
                "--publisher-jwt-key", KEY};
        String token = TokenMinter.mint(KEY, "HS256", "herald", "http://localhost:" + port + "/.well-known/mercure", "test",
                List.of("*"), List.of(), false, Duration.ofMinutes(5));
        Map<String, String> env = env(token);
        Process p;
        try (HeraldProcess.Serving first = HeraldProcess.serve(serve)) {
            env.put("HERALD_HUB_URL", first.url().toString());
            p = HeraldProcess.start(env, "subscribe", "*", "--count", "2", "--format", "json");
            await().atMost(Duration.ofSeconds(20)).until(() -> subscribers(first.url()) == 1);
            assertThat(herald(env, "publish", "-t", "https://example.com/r", "--id", "urn:r:1", "--data", "before")
                    .exitCode()).isZero();
        }
        try (HeraldProcess.Serving second = HeraldProcess.serve(serve)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> subscribers(second.url()) == 1);
            assertThat(herald(env, "publish", "-t", "https://example.com/r", "--id", "urn:r:2", "--data", "after")
                    .exitCode()).isZero();
            HeraldProcess.Result r = HeraldProcess.finish(p);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"before\"").contains("\"after\"");
            assertThat(r.err()).contains("connection lost").contains("reconnecting after urn:r:1")
                    .contains("herald: herald-reset");
        }
    }

    /** {@code herald_subscribers_connected} of the hub at {@code url}, -1 while it does not answer. */
    private static long subscribers(URI url) {
        try {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(l -> l.startsWith("herald_subscribers_connected "))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void aPrivateUpdateReachesASubscriberWhoseTokenHerladTokenMinted() throws Exception {
        assertThat(herald(env(publisherToken), "publish", "-t", "https://example.com/users/42", "--private", "--data",
                "secret").exitCode()).isZero();
        HeraldProcess.Result token = herald(Map.of("HERALD_PUBLISHER_JWT_KEY", KEY), "token", "--subscribe",
                "https://example.com/users/:id", "--url-patterns", "--audience", hub.config().jwtAudience());
        assertThat(token.exitCode()).as(token.err()).isZero();
        HeraldProcess.Result sub = herald(env(token.out().strip()), "subscribe", "https://example.com/users/42",
                "--last-event-id", "earliest", "-n", "1", "--format", "json");
        assertThat(sub.exitCode()).as(sub.err()).isZero();
        assertThat(JSON.readTree(sub.out()).get("data").asText()).isEqualTo("secret");
    }

    @Test
    void tokenMintsTheGrantsAndLifetimeAskedForWithAKeyFromAFile() throws Exception {
        Path key = dir.resolve("hub.key");
        Files.writeString(key, KEY + "\n");
        HeraldProcess.Result r = herald(Map.of(), "token", "--key", "@" + key, "--publish", "https://example.com/a",
                "--subscribe", "https://example.com/b/:id", "--url-patterns", "--lifetime", "10m", "--subject", "user-1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] parts = r.out().strip().split("\\.");
        JsonNode header = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("typ").asText()).isEqualTo("at+jwt");
        assertThat(claims.get("sub").asText()).isEqualTo("user-1");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);
        JsonNode details = claims.get("authorization_details");
        assertThat(details.get(0).get("actions").get(0).asText()).isEqualTo("publish");
        assertThat(details.get(0).get("topics").get(0).get("match").asText()).isEqualTo("https://example.com/a");
        assertThat(details.get(1).get("actions").get(0).asText()).isEqualTo("subscribe");
        assertThat(details.get(1).get("topics").get(0).get("match_type").asText()).isEqualTo("urlpattern");
        HeraldProcess.Result none = herald(Map.of(), "token", "--key", KEY);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--publish or --subscribe");
    }

    @Test
    void refusalsExitWithCode1AndSayWhetherTheTokenIsMissingRefusedOrTooNarrow() throws Exception {
        HeraldProcess.Result missing = herald(env(null), "publish", "-t", "https://example.com/a", "--data", "x");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("herald: the hub requires a token (401) for publishing to "
                + "https://example.com/a: give --token or set HERALD_TOKEN");
        HeraldProcess.Result refused = herald(env(mint(List.of("*"), List.of()).replace('.', 'x') + ".x.y"), "publish",
                "-t", "https://example.com/a");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("herald: the hub refused the token (401)");
        HeraldProcess.Result narrow = herald(env(mint(List.of("https://example.com/mine"), List.of())), "publish", "-t",
                "https://example.com/theirs");
        assertThat(narrow.exitCode()).isEqualTo(1);
        assertThat(narrow.err()).startsWith("herald: the token does not allow publishing to https://example.com/theirs (403)");
        HeraldProcess.Result badSub = herald(env("not-a-jwt"), "subscribe", "*");
        assertThat(badSub.exitCode()).isEqualTo(1);
        assertThat(badSub.err()).contains("the hub refused the token (401) for subscribing");
        for (HeraldProcess.Result r : List.of(missing, refused, narrow, badSub)) {
            assertThat(r.err().strip().lines()).as("one line").hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void anUnreachableHubExitsWithCode3() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed: nothing listens there now
        }
        Map<String, String> env = env(publisherToken);
        env.put("HERALD_HUB_URL", "http://127.0.0.1:" + port);
        HeraldProcess.Result pub = herald(env, "publish", "-t", "https://example.com/a");
        assertThat(pub.exitCode()).isEqualTo(3);
        assertThat(pub.err().strip()).isEqualTo("herald: cannot reach the hub at http://127.0.0.1:" + port
                + "/.well-known/mercure: connection refused");
        HeraldProcess.Result sub = herald(env, "subscribe", "*");
        assertThat(sub.exitCode()).isEqualTo(3);
        assertThat(sub.err()).contains("cannot reach the hub");
    }

    @Test
    void aFailingHubExitsWithCode4() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean post = exchange.getRequestMethod().equals("POST");
            byte[] body = (post ? "history unavailable, retry later" : "<html></html>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", post ? "text/plain" : "text/html");
            exchange.sendResponseHeaders(post ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = env(publisherToken);
            env.put("HERALD_HUB_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/hub");
            HeraldProcess.Result pub = herald(env, "publish", "-t", "https://example.com/a");
            assertThat(pub.exitCode()).isEqualTo(4);
            assertThat(pub.err()).contains("failed (503)").contains("history unavailable, retry later");
            assertThat(pub.err().split("retry later", -1)).as("'retry later' once: " + pub.err()).hasSize(2);
            HeraldProcess.Result sub = herald(env, "subscribe", "*");
            assertThat(sub.exitCode()).isEqualTo(4);
            assertThat(sub.err()).contains("did not answer with an event stream");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badUsageExitsWithCode2BeforeAnythingIsSent() throws Exception {
        assertThat(herald(env(publisherToken), "publish", "--data", "x").exitCode()).as("no topic").isEqualTo(2);
        HeraldProcess.Result both = herald(env(publisherToken), "publish", "-t", "https://example.com/a", "--data", "x",
                "--data-file", "f");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        HeraldProcess.Result noMatcher = herald(env(null), "subscribe");
        assertThat(noMatcher.exitCode()).isEqualTo(2);
        assertThat(noMatcher.err()).contains("at least one topic");
        HeraldProcess.Result badHub = herald(Map.of("HERALD_HUB_URL", "ftp://x"), "subscribe", "*");
        assertThat(badHub.exitCode()).isEqualTo(2);
        assertThat(badHub.err()).contains("not an http(s) URL");
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void dataLargerThanMaxDataBytesIsRefusedWithOneLineBeforeAnythingIsSent() throws Exception {
        HeraldProcess.Result r = HeraldProcess.run(env(publisherToken), "0123456789A", "publish", "-t",
                "https://example.com/big", "--data-file", "-", "--max-data-bytes", "10");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("herald: --data-file: more than 10 bytes (--max-data-bytes; the hub's "
                + "default limit is 1 MiB)");
        HeraldProcess.Result fits = HeraldProcess.run(env(publisherToken), "0123456789", "publish", "-t",
                "https://example.com/big", "--data-file", "-", "--max-data-bytes", "10");
        assertThat(fits.exitCode()).as(fits.err()).isZero();
    }

    @Test
    void tokenKeyIsOptionalInTheUsageAndItsAbsenceIsAUsageError() throws Exception {
        assertThat(herald(Map.of(), "token", "--help").out()).contains("[--key=<key>]");
        HeraldProcess.Result r = herald(Map.of(), "token", "--publish", "*");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("herald: give --key or set HERALD_PUBLISHER_JWT_KEY: the key to sign the "
                + "token with");
    }

    @Test
    void everyClientCommandsHelpShowsExamplesAndExitCodes() throws Exception {
        for (String command : List.of("publish", "subscribe", "token")) {
            HeraldProcess.Result r = herald(Map.of(), command, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).as(command).contains("Examples:", "herald " + command, "Exit codes:");
        }
    }

    @Test
    void helpFootersFitAnEightyColumnTerminal() {
        java.util.Deque<picocli.CommandLine> commands = new java.util.ArrayDeque<>(List.of(HeraldCommand.newCommandLine()));
        while (!commands.isEmpty()) {
            picocli.CommandLine c = commands.pop();
            for (String line : c.getCommandSpec().usageMessage().footer()) {
                assertThat(line.length()).as(c.getCommandName() + ": " + line).isLessThanOrEqualTo(80);
            }
            commands.addAll(c.getSubcommands().values());
        }
    }

    /** The hub's stream for {@code topic} from the earliest update, read until a line equal to {@code until}. */
    private String replay(String topic, String until) throws Exception {
        URI uri = URI.create(hub.url() + "?match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                + "&last_event_id=earliest");
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals(until)) {
                    return seen.toString();
                }
            }
        }
        throw new AssertionError("stream ended before " + until + ": " + seen);
    }
}
