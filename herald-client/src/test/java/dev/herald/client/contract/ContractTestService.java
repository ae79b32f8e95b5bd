package dev.herald.client.contract;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.client.EventHandler;
import dev.herald.client.EventSource;
import dev.herald.client.EventSourceConfig;
import dev.herald.client.EventSourceException;
import dev.herald.client.EventSourceListener;
import dev.herald.sse.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test service of the public SSE client contract tests ({@code launchdarkly/sse-contract-tests},
 * {@code docs/service_spec.md}) for herald-client: the harness creates streams with {@code POST /},
 * sends commands to and deletes {@code /streams/<id>}, stops the service with {@code DELETE /}, and
 * receives what each stream's {@link EventSource} reports as numbered callback posts
 * ({@code event}, {@code comment}, {@code error} with the message in {@code error}).
 *
 * <p>Run it with {@code scripts/contract-test-service.sh PORT}, then point the harness at
 * {@code http://localhost:PORT}. Capabilities: {@value #CAPABILITIES_JSON}.
 *
 * <p>Thread-safe: requests are handled on a pool, streams live in a concurrent map, and each stream
 * posts its callbacks one at a time from its event source's callback thread, which keeps them in order.
 */
public final class ContractTestService implements AutoCloseable {

    static final List<String> CAPABILITIES = List.of("comments", "headers", "last-event-id", "post", "read-timeout",
            "restart", "bom", "event-type-listeners");
    static final String CAPABILITIES_JSON =
            "comments, headers, last-event-id, post, read-timeout, restart, bom, event-type-listeners";

    private final HttpServer server;
    private final Runnable onQuit;
    private final HttpClient callbackClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger streamCounter = new AtomicInteger();

    /** A service listening on {@code port} (0 for any); {@code DELETE /} runs {@code onQuit}. */
    public ContractTestService(int port, Runnable onQuit) throws IOException {
        this.onQuit = onQuit;
        this.server = HttpServer.create(new InetSocketAddress(port), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "contract-test-service");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the service on the port given as the only argument; {@code DELETE /} exits the JVM. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ContractTestService PORT");
            System.exit(2);
        }
        ContractTestService service = new ContractTestService(Integer.parseInt(args[0]), () -> System.exit(0));
        System.out.println("herald-client contract-test service listening on port " + service.port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        streams.values().forEach(Stream::close);
        streams.clear();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/")) {
                switch (method) {
                    case "GET" -> respond(exchange, 200, Json.write(Map.of("name", "herald-client",
                            "capabilities", CAPABILITIES)));
                    case "POST" -> createStream(exchange);
                    case "DELETE" -> {
                        respond(exchange, 204, null);
                        close();
                        onQuit.run();
                    }
                    default -> respond(exchange, 405, null);
                }
                return;
            }
            if (path.startsWith("/streams/")) {
                Stream stream = streams.get(path.substring("/streams/".length()));
                if (stream == null) {
                    respond(exchange, 404, null);
                } else if (method.equals("POST")) {
                    command(exchange, stream);
                } else if (method.equals("DELETE")) {
                    streams.remove(stream.id);
                    stream.close();
                    respond(exchange, 204, null);
                } else {
                    respond(exchange, 405, null);
                }
                return;
            }
            respond(exchange, 404, null);
        } catch (RuntimeException e) {
            respond(exchange, 500, e.toString());
        }
    }

    private void createStream(HttpExchange exchange) throws IOException {
        Map<String, Object> params;
        EventSourceConfig config;
        URI callbackUrl;
        try {
            params = object(Json.parse(body(exchange)), "body");
            callbackUrl = URI.create(string(params, "callbackUrl", true));
            config = config(params);
        } catch (IllegalArgumentException | IllegalStateException e) {
            respond(exchange, 400, e.getMessage());
            return;
        }
        String id = String.valueOf(streamCounter.incrementAndGet());
        Stream stream = new Stream(id, callbackUrl);
        streams.put(id, stream);
        stream.start(config);
        exchange.getResponseHeaders().set("Location", "/streams/" + id);
        respond(exchange, 201, null);
    }

    /** The client configuration the harness asked for; IllegalArgumentException if invalid. */
    static EventSourceConfig config(Map<String, Object> params) {
        EventSourceConfig.Builder b = EventSourceConfig.builder(string(params, "streamUrl", true));
        Object headers = params.get("headers");
        if (headers != null) {
            object(headers, "headers").forEach((name, value) -> {
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException("headers." + name + ": expected a string");
                }
                b.header(name, (String) value);
            });
        }
        Long initialDelay = number(params, "initialDelayMs");
        if (initialDelay != null) {
            b.reconnectTime(Duration.ofMillis(initialDelay));
        }
        Long readTimeout = number(params, "readTimeoutMs");
        if (readTimeout != null) {
            b.readTimeout(Duration.ofMillis(readTimeout));
        }
        String lastEventId = string(params, "lastEventId", false);
        if (lastEventId != null) {
            b.lastEventId(lastEventId);
        }
        String method = string(params, "method", false);
        if (method != null) {
            b.method(method);
        }
        String body = string(params, "body", false);
        if (body != null) {
            b.body(body);
        }
        return b.build();
    }

    private void command(HttpExchange exchange, Stream stream) throws IOException {
        Map<String, Object> params;
        try {
            params = object(Json.parse(body(exchange)), "body");
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, e.getMessage());
            return;
        }
        String command = params.get("command") instanceof String ? (String) params.get("command") : "";
        switch (command) {
            case "restart" -> {
                stream.source.restart();
                respond(exchange, 204, null);
            }
            case "listen" -> {
                Object listen = params.get("listen");
                Object type = listen instanceof Map ? ((Map<?, ?>) listen).get("type") : null;
                if (!(type instanceof String)) {
                    respond(exchange, 400, "listen.type: expected a string");
                    return;
                }
                if (!type.equals(SseEvent.DEFAULT_TYPE)) { // reported by onEvent already
                    stream.source.addEventListener((String) type, stream.typedHandler); // added once per type
                }
                respond(exchange, 204, null);
            }
            default -> respond(exchange, 400, "unknown command: " + command);
        }
    }

    /** One stream entity: an event source whose callbacks are posted to the harness. */
    private final class Stream implements EventSourceListener {
        private final String id;
        private final URI callbackUrl;
        private final AtomicInteger callbackCounter = new AtomicInteger();
        private final EventHandler typedHandler = this::onTypedEvent;
        private volatile EventSource source;

        Stream(String id, URI callbackUrl) {
            this.id = id;
            this.callbackUrl = callbackUrl;
        }

        void start(EventSourceConfig config) {
            source = EventSource.connect(config, this);
        }

        /**
         * "event-type-listeners": events of the default type are always reported, from the moment the event
         * source starts; other types once the harness sent {@code listen} for them.
         */
        @Override
        public void onEvent(EventSource source, SseEvent event) {
            if (event.type().equals(SseEvent.DEFAULT_TYPE)) {
                onTypedEvent(source, event);
            }
        }

        void close() {
            EventSource s = source;
            if (s != null) {
                s.close();
            }
        }

        void onTypedEvent(EventSource source, SseEvent event) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", event.type());
            e.put("data", event.data());
            e.put("id", event.id());
            post(Map.of("kind", "event", "event", e));
        }

        @Override
        public void onComment(EventSource source, String comment) {
            post(Map.of("kind", "comment", "comment", comment));
        }

        @Override
        public void onError(EventSource source, EventSourceException error) {
            post(Map.of("kind", "error", "error", error.getMessage()));
        }

        /** Posts callback number n (1, 2, ...) and waits for the answer, which keeps the callbacks in order. */
        private void post(Map<String, Object> message) {
            URI url = URI.create(callbackUrl + "/" + callbackCounter.incrementAndGet());
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(message), StandardCharsets.UTF_8))
                    .build();
            try {
                HttpResponse<Void> response = callbackClient.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 300) {
                    System.err.println("callback " + url + " answered " + response.statusCode());
                }
            } catch (IOException e) {
                System.err.println("callback " + url + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type",
                body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String name) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(name + ": expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String string(Map<String, Object> params, String name, boolean required) {
        Object value = params.get(name);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(name + ": missing");
            }
            return null;
        }
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(name + ": expected a string");
        }
        return (String) value;
    }

    private static Long number(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Long) || (Long) value < 0) {
            throw new IllegalArgumentException(name + ": expected a non-negative integer");
        }
        return (Long) value;
    }
}
