package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.Recorder;
import dev.herald.client.testing.ScenarioSupport;
import dev.herald.sse.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Requests whose header values hold octets above 0x7F, which the client writes itself over HTTP/1.1
 * because the JDK client would turn them into {@code ?}: the same behaviour as every other request.
 */
class SocketExchangeTest extends ScenarioSupport {

    private static final String NON_ASCII_ID = "caf\u00E9";

    @Test
    void aLatin1HeaderValueArrivesAsItsOctetsAndTheBodyFramingsAreRead() throws Exception {
        String event = "retry: 20\ndata: x\n\n";
        server.on("/s",
                r -> r.status(200, "Content-Type: text/event-stream",
                        "Content-Length: " + event.length()).write(event).end(),
                r -> {
                    r.statusUnframed(200, "Content-Type: text/event-stream");
                    r.write("data: close-delimited\n\n");
                    r.end();
                },
                r -> {
                    r.stream().write("data: chunked\n\n");
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).header("X-Name", "Andr\u00E9").build(), recorder);

        assertThat(recorder.awaitEvents(3)).extracting(SseEvent::data).containsExactly("x", "close-delimited",
                "chunked");
        RecordedRequest first = server.awaitRequest("/s", 1);
        assertThat(first.headerBytes("X-Name")).containsExactly("Andr\u00E9".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(first.header("Accept")).isEqualTo("text/event-stream");
        assertThat(first.header("Host")).isEqualTo("127.0.0.1:" + server.port());
        assertThat(recorder.errors()).extracting(s -> s.error().getClass().getSimpleName())
                .containsExactly("StreamClosedByServerException", "StreamClosedByServerException");
    }

    @Test
    void redirectsStatusesReadTimeoutAndCloseWorkTheSameWay() throws Exception {
        server.onEvery("/start", r -> r.status(307, "Location: /s", "Content-Length: 0").end());
        server.on("/s", r -> {
            r.stream().write("retry: 20\ndata: Hello\n\n");
            r.hold();
        }, r -> {
            r.stream().write("data: again\n\n");
            r.hold();
        });
        server.on("/gone", r -> r.status(410, "Content-Length: 0").end());
        Recorder recorder = new Recorder();
        Recorder gone = new Recorder();
        EventSource source = connect(EventSourceConfig.builder(server.uri("/start")).lastEventId(NON_ASCII_ID)
                .readTimeout(Duration.ofMillis(300)).build(), recorder);
        EventSource failed = connect(EventSourceConfig.builder(server.uri("/gone")).lastEventId(NON_ASCII_ID).build(),
                gone);

        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("Hello", "again");
        assertThat(server.awaitRequest("/s", 1).headerBytes("Last-Event-ID"))
                .containsExactly(NON_ASCII_ID.getBytes(StandardCharsets.UTF_8));
        assertThat(recorder.errors().get(0).error()).isInstanceOf(ReadTimeoutException.class);
        assertThat(server.awaitRequest("/s", 1).awaitClientClose(Duration.ofSeconds(1))).isTrue();
        assertThat(assertFailed(failed, gone, HttpStatusException.class).statusCode()).isEqualTo(410);

        source.close();
        assertThat(server.awaitRequest("/s", 2).awaitClientClose(Duration.ofSeconds(1))).isTrue();
    }
}
