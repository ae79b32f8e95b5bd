package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.Recorder;
import dev.herald.client.testing.ScenarioSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Client scenarios CS-01 to CS-10: request and response validation ({@code client-scenarios.md} part A). */
class RequestValidationScenariosTest extends ScenarioSupport {

    /** Short, so that a wrong reconnect after a failure would show within the 500 ms we watch. */
    private static final Duration SHORT_RECONNECT = Duration.ofMillis(100);

    @Test
    void cs01_firstRequestIsGetWithAcceptAndCacheControlAndNoLastEventId() throws Exception {
        server.on("/s", r -> {
            r.stream().write("data: ok\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        assertThat(recorder.awaitEvents(1)).extracting(e -> e.data()).containsExactly("ok");
        RecordedRequest request = server.awaitRequest("/s", 1);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.body()).isEmpty();
        assertThat(request.header("Accept")).isEqualTo("text/event-stream");
        assertThat(request.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(request.hasHeader("Last-Event-ID")).as("Last-Event-ID present: %s", request).isFalse();
        assertThat(recorder.events().get(0).type()).isEqualTo("message");
    }

    @Test
    void cs02_connectionIsAnnouncedWhenHeadersArriveBeforeAnyBodyByte() throws Exception {
        AtomicLong headersSent = new AtomicLong();
        server.on("/s", r -> {
            r.stream();
            headersSent.set(System.nanoTime());
            r.pause(500).write("data: a\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        EventSource source = connect("/s", recorder);
        assertThat(source.readyState()).isEqualTo(ReadyState.CONNECTING);

        recorder.awaitEvents(1);
        List<Recorder.Signal> opens = recorder.opens();
        assertThat(opens).hasSize(1);
        assertThat(opens.get(0).state()).isEqualTo(ReadyState.OPEN);
        assertThat((opens.get(0).nanos() - headersSent.get()) / 1_000_000).as("ms from headers to onOpen")
                .isLessThan(100 + TIMING_SLACK_MS);
        assertThat(recorder.signals()).extracting(Recorder.Signal::kind).containsExactly("open", "event");
        assertThat(recorder.data()).containsExactly("a");
        assertThat(source.readyState()).isEqualTo(ReadyState.OPEN);
    }

    @Test
    void cs03_contentTypeParametersAndCaseAreIgnoredAndBodyIsUtf8() throws Exception {
        List<String> types = List.of("text/event-stream; charset=utf-8", "text/event-stream;", "Text/Event-Stream",
                "text/event-stream;charset=windows-1252");
        byte[] body = "data:ok\u2026\n\n".getBytes(StandardCharsets.UTF_8);
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            server.on("/t" + i, r -> {
                r.status(200, "Content-Type: " + type).write(body);
                r.hold();
            });
            Recorder recorder = new Recorder();
            recorders.add(recorder);
            connect("/t" + i, recorder);
        }
        for (int i = 0; i < types.size(); i++) {
            assertThat(recorders.get(i).awaitEvents(1)).as(types.get(i)).extracting(e -> e.data())
                    .containsExactly("ok\u2026");
            assertThat(recorders.get(i).opens()).as(types.get(i)).hasSize(1);
        }
    }

    @Test
    void cs04_wrongOrMissingContentTypeFailsTheConnectionAndClosesTheSocket() throws Exception {
        List<String> headerLines = List.of("Content-Type: text/plain", "Content-Type: text/x-bogus",
                "Content-Type: x bogus", "Content-Type: application/json", "Content-Type: text/event-streams", "");
        Map<String, Recorder> recorders = new LinkedHashMap<>();
        Map<String, EventSource> sources = new LinkedHashMap<>();
        for (int i = 0; i < headerLines.size(); i++) {
            String line = headerLines.get(i);
            String path = "/ct" + i;
            server.on(path, r -> {
                if (line.isEmpty()) {
                    r.status(200);
                } else {
                    r.status(200, line);
                }
                r.write("retry: 10\ndata: data\n\n");
                r.hold();
            });
            Recorder recorder = new Recorder();
            recorders.put(path, recorder);
            sources.put(path, connect(EventSourceConfig.builder(server.uri(path)).reconnectTime(SHORT_RECONNECT).build(),
                    recorder));
        }
        int i = 0;
        for (String path : recorders.keySet()) {
            String line = headerLines.get(i++);
            ContentTypeException error = assertFailed(sources.get(path), recorders.get(path), ContentTypeException.class);
            assertThat(error.contentType()).isEqualTo(line.isEmpty() ? null : line.substring("Content-Type: ".length()));
            assertThat(server.awaitRequest(path, 1).awaitClientClose(Duration.ofSeconds(2)))
                    .as("the client closed the socket of %s", line).isTrue();
        }
        Thread.sleep(500);
        for (String path : recorders.keySet()) {
            assertThat(server.requests(path)).as(path).hasSize(1);
        }
    }

    @Test
    void cs05_anyStatusOtherThan200FailsTheConnectionAfterOneRequest() throws Exception {
        int[] statuses = {201, 202, 204, 205, 206, 210, 299, 400, 401, 403, 404, 410, 429, 500, 502, 503};
        Map<Integer, Recorder> recorders = new LinkedHashMap<>();
        Map<Integer, EventSource> sources = new LinkedHashMap<>();
        for (int status : statuses) {
            String path = "/status" + status;
            server.on(path, r -> {
                if (status == 204) {
                    r.status(204, "Content-Type: text/event-stream");
                } else if (status == 205) {
                    r.status(205, "Content-Type: text/event-stream", "Content-Length: 0");
                } else {
                    r.status(status, "Content-Type: text/event-stream").write("retry: 10\ndata: data\n\n");
                }
                r.end();
            });
            Recorder recorder = new Recorder();
            recorders.put(status, recorder);
            sources.put(status, connect(EventSourceConfig.builder(server.uri(path)).reconnectTime(SHORT_RECONNECT)
                    .build(), recorder));
        }
        for (int status : statuses) {
            HttpStatusException error = assertFailed(sources.get(status), recorders.get(status),
                    HttpStatusException.class);
            assertThat(error.statusCode()).isEqualTo(status);
        }
        Thread.sleep(500);
        for (int status : statuses) {
            assertThat(server.requests("/status" + status)).as("requests for %d", status).hasSize(1);
        }
    }

    @Test
    void cs06_204OnAReconnectionStopsReconnecting() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 50\nevent: progress\nid: prct-100\ndata: 100%\n\n").end(),
                r -> r.stream().write("data: reconnected\n\n").end(),
                r -> r.status(204).end());
        Recorder recorder = new Recorder();
        EventSource source = connect("/s", recorder);

        recorder.await("closed", 1);
        List<Recorder.Signal> errors = recorder.errors();
        assertThat(recorder.signals()).extracting(s -> s.kind() + ":" + s.state()).containsExactly(
                "open:OPEN", "event:OPEN", "error:CONNECTING",
                "open:OPEN", "event:OPEN", "error:CONNECTING",
                "error:CLOSED", "closed:CLOSED");
        assertThat(recorder.events().get(0).type()).isEqualTo("progress");
        assertThat(recorder.events().get(0).data()).isEqualTo("100%");
        assertThat(recorder.events().get(0).id()).isEqualTo("prct-100");
        assertThat(recorder.events().get(1).data()).isEqualTo("reconnected");
        assertThat(errors.get(0).error()).isInstanceOf(StreamClosedByServerException.class);
        assertThat(((HttpStatusException) errors.get(2).error()).statusCode()).isEqualTo(204);
        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("prct-100");
        assertNoFurtherRequest("/s", 3, Duration.ofSeconds(1));
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void cs07_redirectsAreFollowedWithTheRelativeLocationResolvedAndHeadersSentAgain() throws Exception {
        int[] statuses = {301, 302, 303, 307, 308};
        Map<Integer, Recorder> recorders = new LinkedHashMap<>();
        Map<Integer, EventSource> sources = new LinkedHashMap<>();
        for (int status : statuses) {
            server.on("/start" + status, r -> r.status(status, "Location: /stream" + status + "?x=1",
                    "Content-Length: 0").end());
            server.on("/stream" + status, r -> {
                r.stream().write("data: hello\n\n");
                r.hold();
            });
            Recorder recorder = new Recorder();
            recorders.put(status, recorder);
            sources.put(status, connect("/start" + status, recorder));
        }
        for (int status : statuses) {
            assertThat(recorders.get(status).awaitEvents(1)).extracting(e -> e.data()).containsExactly("hello");
            assertThat(recorders.get(status).opens()).as("opens after %d", status).hasSize(1);
            RecordedRequest redirected = server.awaitRequest("/stream" + status, 1);
            assertThat(redirected.method()).isEqualTo("GET");
            assertThat(redirected.query()).isEqualTo("x=1");
            assertThat(redirected.header("Accept")).isEqualTo("text/event-stream");
            assertThat(redirected.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(sources.get(status).url()).isEqualTo(server.uri("/start" + status));
        }
    }

    @Test
    void cs08_redirectWithoutUsableLocationIsAnErrorNotALoop() throws Exception {
        Map<String, Recorder> recorders = new LinkedHashMap<>();
        Map<String, EventSource> sources = new LinkedHashMap<>();
        for (int status : new int[] {301, 307}) {
            for (boolean empty : new boolean[] {false, true}) {
                String path = "/r" + status + (empty ? "-empty" : "-absent");
                server.onEvery(path, r -> {
                    if (empty) {
                        r.status(status, "Location:", "Content-Length: 0");
                    } else {
                        r.status(status, "Content-Length: 0");
                    }
                    r.end();
                });
                Recorder recorder = new Recorder();
                recorders.put(path, recorder);
                sources.put(path, connect(EventSourceConfig.builder(server.uri(path)).reconnectTime(SHORT_RECONNECT)
                        .build(), recorder));
            }
        }
        for (String path : recorders.keySet()) {
            HttpStatusException error = assertFailed(sources.get(path), recorders.get(path), HttpStatusException.class);
            assertThat(error.statusCode()).isIn(301, 307);
        }
        Thread.sleep(500);
        for (String path : recorders.keySet()) {
            assertThat(server.requests(path)).as(path).hasSize(1);
        }
    }

    @Test
    void cs09_redirectLoopsAreBoundedAndFailTheConnection() throws Exception {
        server.onEvery("/loop", r -> r.status(302, "Location: /loop", "Content-Length: 0").end());
        Recorder recorder = new Recorder();
        EventSource source = connect(EventSourceConfig.builder(server.uri("/loop")).reconnectTime(SHORT_RECONNECT)
                .build(), recorder);

        RedirectException error = assertFailed(source, recorder, RedirectException.class);
        assertThat(error).hasMessageContaining("more than 20 redirects");
        Thread.sleep(500);
        assertThat(server.requests("/loop")).hasSize(1 + EventSourceConfig.MAX_REDIRECTS);
    }

    @Test
    void cs10_credentialsAreDroppedOnACrossOriginRedirectAndKeptOnASameOriginOne() throws Exception {
        int port = server.port();
        server.on("/r", r -> r.status(307, "Location: http://localhost:" + port + "/stream", "Content-Length: 0").end());
        server.on("/same", r -> r.status(307, "Location: http://127.0.0.1:" + port + "/stream2", "Content-Length: 0")
                .end());
        server.on("/stream", r -> {
            r.stream().write("data: x\n\n");
            r.hold();
        });
        server.on("/stream2", r -> {
            r.stream().write("data: y\n\n");
            r.hold();
        });
        Recorder cross = new Recorder();
        Recorder same = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/r")).header("Authorization", "Bearer foo")
                .header("Cookie", "session=1").header("X-Other", "kept").build(), cross);
        connect(EventSourceConfig.builder(server.uri("/same")).header("Authorization", "Bearer foo")
                .header("Cookie", "session=1").build(), same);

        assertThat(cross.awaitEvents(1)).extracting(e -> e.data()).containsExactly("x");
        assertThat(same.awaitEvents(1)).extracting(e -> e.data()).containsExactly("y");
        RecordedRequest target = server.awaitRequest("/stream", 1);
        assertThat(target.header("Host")).isEqualTo("localhost:" + port);
        assertThat(target.hasHeader("Authorization")).as("Authorization at the other origin").isFalse();
        assertThat(target.hasHeader("Cookie")).as("Cookie at the other origin").isFalse();
        assertThat(target.header("X-Other")).isEqualTo("kept");
        assertThat(server.awaitRequest("/r", 1).header("Authorization")).isEqualTo("Bearer foo");
        RecordedRequest sameOrigin = server.awaitRequest("/stream2", 1);
        assertThat(sameOrigin.header("Authorization")).isEqualTo("Bearer foo");
        assertThat(sameOrigin.header("Cookie")).isEqualTo("session=1");
    }
}
