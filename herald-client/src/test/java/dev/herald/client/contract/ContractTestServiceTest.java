package dev.herald.client.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.ScriptedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link ContractTestService} the way the {@code sse-contract-tests} harness does: status query,
 * stream creation by {@code POST /}, numbered callback posts to a callback endpoint, commands, and
 * {@code DELETE}, against a stream server the test feeds by hand.
 */
class ContractTestServiceTest {

    private static final String BREAK = "\0break";

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicBoolean quit = new AtomicBoolean();
    private ContractTestService service;
    private ScriptedServer streams;
    private HttpServer callbackServer;
    private final Map<String, ConcurrentSkipListMap<Integer, Map<String, Object>>> callbacks = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        service = new ContractTestService(0, () -> quit.set(true));
        streams = new ScriptedServer();
        callbackServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        callbackServer.createContext("/cb/", exchange -> {
            try (exchange) {
                String[] parts = exchange.getRequestURI().getPath().split("/"); // "", "cb", name, n
                Map<String, Object> message = cast(Json.parse(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8)));
                callbacks.computeIfAbsent(parts[2], k -> new ConcurrentSkipListMap<>())
                        .put(Integer.parseInt(parts[3]), message);
                exchange.sendResponseHeaders(202, -1);
            }
        });
        callbackServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        service.close();
        streams.close();
        callbackServer.stop(0);
    }

    @Test
    void statusResourceAnswers200WithTheCapabilities() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(serviceUri("/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> status = cast(Json.parse(response.body()));
        assertThat(status.get("capabilities")).isEqualTo(List.of("comments", "headers", "last-event-id", "post",
                "read-timeout", "restart", "bom", "event-type-listeners"));
    }

    @Test
    void streamUsesTheRequestedRequestAndReportsCommentsEventsAndErrorsInOrder() throws Exception {
        BlockingQueue<String> first = feed();
        BlockingQueue<String> second = feed();
        streams.on("/stream", live(first), live(second));
        String location = create("a", """
                {"streamUrl": "%s", "callbackUrl": "%s", "tag": "a", "initialDelayMs": 0, "lastEventId": "abc",
                 "headers": {"header-name-1": "value-1", "content-type": "application/json; charset=utf-8"},
                 "method": "POST", "body": "{\\"hello\\": \\"world\\"}"}""");
        assertThat(location).startsWith("/streams/");

        RecordedRequest request = streams.awaitRequest("/stream", 1);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.bodyText()).isEqualTo("{\"hello\": \"world\"}");
        assertThat(request.header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(request.header("header-name-1")).isEqualTo("value-1");
        assertThat(request.header("Last-Event-ID")).isEqualTo("abc");

        first.add(":Hello\n");
        assertThat(callback("a", 1)).isEqualTo(Map.of("kind", "comment", "comment", "Hello"));
        first.add("data: Hello\n\n");
        assertThat(callback("a", 2)).isEqualTo(Map.of("kind", "event", "event",
                Map.of("type", "message", "data", "Hello", "id", "abc")));
        assertThat(command(location, "{\"command\": \"listen\", \"listen\": {\"type\": \"greeting\"}}")).isEqualTo(204);
        first.add("event: greeting\nid: def\ndata: Hi\n\n");
        assertThat(callback("a", 3)).isEqualTo(Map.of("kind", "event", "event",
                Map.of("type", "greeting", "data", "Hi", "id", "def")));
        first.add(BREAK);
        Map<String, Object> error = callback("a", 4);
        assertThat(error.get("kind")).isEqualTo("error");
        assertThat((String) error.get("error")).isNotBlank();

        RecordedRequest reconnect = streams.awaitRequest("/stream", 2);
        assertThat(reconnect.header("Last-Event-ID")).isEqualTo("def");
        assertThat(reconnect.method()).isEqualTo("POST");
        assertThat(reconnect.bodyText()).isEqualTo("{\"hello\": \"world\"}");
        second.add("\uFEFFdata: again\n\n");
        assertThat(callback("a", 5)).isEqualTo(Map.of("kind", "event", "event",
                Map.of("type", "message", "data", "again", "id", "def")));
    }

    @Test
    void restartCommandReconnectsWithoutReportingAnError() throws Exception {
        BlockingQueue<String> first = feed();
        BlockingQueue<String> second = feed();
        streams.on("/stream", live(first), live(second));
        String location = create("r", """
                {"streamUrl": "%s", "callbackUrl": "%s", "tag": "r", "initialDelayMs": 0}""");
        first.add("data: Hello\n\n");
        assertThat(callback("r", 1)).containsEntry("kind", "event");

        assertThat(command(location, "{\"command\": \"restart\"}")).isBetween(200, 299);
        streams.awaitRequest("/stream", 2);
        second.add("data: Thanks\n\n");

        assertThat(callback("r", 2)).isEqualTo(Map.of("kind", "event", "event",
                Map.of("type", "message", "data", "Thanks", "id", "")));
    }

    @Test
    void readTimeoutIsReportedAsAnErrorWithItsMessageAndReconnects() throws Exception {
        BlockingQueue<String> first = feed();
        streams.on("/stream", live(first));
        create("t", """
                {"streamUrl": "%s", "callbackUrl": "%s", "tag": "t", "initialDelayMs": 0, "readTimeoutMs": 500}""");
        first.add("data: Hello\n\n");

        assertThat(callback("t", 1)).containsEntry("kind", "event");
        Map<String, Object> error = callback("t", 2);
        assertThat(error.get("kind")).isEqualTo("error");
        assertThat((String) error.get("error")).contains("500 ms");
        streams.awaitRequest("/stream", 2);
    }

    @Test
    void deleteStopsTheStreamAndUnknownStreamsGet404() throws Exception {
        streams.on("/stream", live(feed()));
        String location = create("d", """
                {"streamUrl": "%s", "callbackUrl": "%s", "tag": "d"}""");
        RecordedRequest request = streams.awaitRequest("/stream", 1);

        assertThat(delete(location)).isEqualTo(204);
        assertThat(request.awaitClientClose(Duration.ofSeconds(2))).as("the stream connection closed").isTrue();
        assertThat(delete(location)).isEqualTo(404);
        assertThat(command(location, "{\"command\": \"restart\"}")).isEqualTo(404);
    }

    @Test
    void invalidRequestsAndUnknownCommandsGet400() throws Exception {
        streams.on("/stream", live(feed()));
        assertThat(post("/", "{\"callbackUrl\": \"http://127.0.0.1:1/cb\"}").statusCode()).isEqualTo(400);
        assertThat(post("/", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/", "{\"streamUrl\": \"ftp://x\", \"callbackUrl\": \"http://127.0.0.1:1/cb\"}").statusCode())
                .isEqualTo(400);
        String location = create("u", """
                {"streamUrl": "%s", "callbackUrl": "%s", "tag": "u"}""");
        assertThat(command(location, "{\"command\": \"dance\"}")).isEqualTo(400);
    }

    @Test
    void deleteOfTheServiceRunsItsQuitAction() throws Exception {
        http.send(HttpRequest.newBuilder(serviceUri("/")).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(quit); // it quits after answering
    }

    private static BlockingQueue<String> feed() {
        return new LinkedBlockingQueue<>();
    }

    /** A step that streams what the test adds to {@code feed}; {@link #BREAK} aborts the connection. */
    private static ScriptedServer.Step live(BlockingQueue<String> feed) {
        return r -> {
            r.stream().watchClose();
            for (;;) {
                String next = feed.poll(50, TimeUnit.MILLISECONDS);
                if (r.request().clientClosedNanos() != 0) {
                    return;
                }
                if (next == null) {
                    continue;
                }
                if (next.equals(BREAK)) {
                    r.abort();
                    return;
                }
                r.write(next);
            }
        };
    }

    /** Creates a stream; {@code json} has two %s, for the stream URL and the callback URL. */
    private String create(String name, String json) throws Exception {
        String body = String.format(json, streams.uri("/stream"),
                "http://127.0.0.1:" + callbackServer.getAddress().getPort() + "/cb/" + name);
        HttpResponse<String> response = post("/", body);
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response.headers().firstValue("Location").orElseThrow();
    }

    private Map<String, Object> callback(String name, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> callbacks.containsKey(name) && callbacks.get(name).containsKey(n));
        ConcurrentSkipListMap<Integer, Map<String, Object>> received = callbacks.get(name);
        assertThat(received.firstKey()).as("callbacks are numbered from 1").isEqualTo(1);
        assertThat(received.headMap(n).size()).as("no callback is missing before %d", n).isEqualTo(n - 1);
        return received.get(n);
    }

    private int command(String location, String json) throws Exception {
        return post(location, json).statusCode();
    }

    private int delete(String location) throws Exception {
        return http.send(HttpRequest.newBuilder(serviceUri(location)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(serviceUri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI serviceUri(String path) {
        return URI.create("http://127.0.0.1:" + service.port() + path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }
}
