package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.Recorder;
import dev.herald.client.testing.ScenarioSupport;
import dev.herald.sse.SseEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Client scenarios CS-28 to CS-37: {@code close()} and delivery, the parser cases through a live
 * connection, the initial {@code Last-Event-ID}, and which URL a reconnect uses after a redirect
 * ({@code client-scenarios.md} part C).
 */
class CloseAndDeliveryScenariosTest extends ScenarioSupport {

    private static final int CASES_AT_ONCE = 12;

    @Test
    void cs28_closeWhileOpenStopsDeliveryReconnectsAndReleasesTheSocket() throws Exception {
        server.on("/s", r -> {
            r.stream().watchClose().write("retry: 50\ndata: 1\n\n");
            for (int i = 0; i < 60 && !r.request().awaitClientClose(Duration.ofMillis(50)); i++) {
                r.write("data: n\n\n");
            }
        });
        AtomicReference<ReadyState> stateAfterClose = new AtomicReference<>();
        Recorder recorder = new Recorder().onEventDo((source, event) -> {
            source.close();
            stateAfterClose.set(source.readyState());
        });
        EventSource source = connect("/s", recorder);

        recorder.awaitEvents(1);
        assertThat(server.awaitRequest("/s", 1).awaitClientClose(Duration.ofSeconds(1)))
                .as("the client closed the socket").isTrue();
        assertNoFurtherRequest("/s", 1, Duration.ofSeconds(1));
        assertThat(stateAfterClose.get()).isEqualTo(ReadyState.CLOSED);
        assertThat(recorder.signals()).extracting(Recorder.Signal::kind).containsExactly("open", "event");
        assertThat(recorder.data()).containsExactly("1");
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void cs29_closeInsideOnErrorPreventsTheReconnect() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 250\ndata: 1\n\n").end());
        Recorder recorder = new Recorder().onErrorDo((source, error) -> source.close());
        EventSource source = connect("/s", recorder);

        recorder.await("error", 1);
        assertNoFurtherRequest("/s", 1, Duration.ofSeconds(1));
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(recorder.signals()).extracting(Recorder.Signal::kind).containsExactly("open", "event", "error");
    }

    @Test
    void cs30_closeDuringTheReconnectWaitCancelsTheReconnect() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 500\ndata: 1\n\n").end());
        Recorder recorder = new Recorder();
        EventSource source = connect("/s", recorder);

        recorder.await("error", 1);
        Thread.sleep(100);
        source.close();
        assertNoFurtherRequest("/s", 1, Duration.ofMillis(1500));
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void cs31_eventsAlreadyParsedAreNotDeliveredAfterClose() throws Exception {
        server.on("/s", r -> {
            r.stream().write("data: 1\n\ndata: 2\n\ndata: 3\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder().onEventDo((source, event) -> {
            if (event.data().equals("1")) {
                source.close();
            }
        });
        connect("/s", recorder);

        recorder.awaitEvents(1);
        server.awaitRequest("/s", 1).awaitClientClose(Duration.ofSeconds(1));
        Thread.sleep(200);
        assertThat(recorder.data()).containsExactly("1");
    }

    @Test
    void cs32_eventsArriveAsSoonAsTheirBlankLineDoesAndSplitCharactersSurvive() throws Exception {
        AtomicLong beforeFinalNewline = new AtomicLong();
        AtomicLong afterFinalNewline = new AtomicLong();
        server.on("/split", r -> {
            r.stream().write("data: Hel").pause(500).write("lo\n").pause(500);
            beforeFinalNewline.set(System.nanoTime());
            r.write("\n");
            afterFinalNewline.set(System.nanoTime());
            r.hold();
        });
        byte[] unicode = "data: \u20AC\u8C46\u8150\n\n".getBytes(StandardCharsets.UTF_8);
        server.on("/bytes", r -> {
            r.stream();
            for (byte b : unicode) {
                r.write(new byte[] {b}).pause(20);
            }
            r.hold();
        });
        Recorder split = new Recorder();
        Recorder bytes = new Recorder();
        connect("/split", split);
        connect("/bytes", bytes);

        assertThat(split.awaitEvents(1)).extracting(SseEvent::data).containsExactly("Hello");
        long dispatched = split.signals("event").get(0).nanos();
        assertThat(dispatched).as("not before the final newline").isGreaterThan(beforeFinalNewline.get());
        assertThat((dispatched - afterFinalNewline.get()) / 1_000_000).as("ms after the final newline")
                .isLessThan(100 + TIMING_SLACK_MS);
        assertThat(bytes.awaitEvents(1)).extracting(SseEvent::data).containsExactly("\u20AC\u8C46\u8150");
    }

    @Test
    void cs33_largePayloadsArriveWholeAndPromptlyAtEveryBufferEdge() throws Exception {
        int[] sizes = {1, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537, 262144, 1048576};
        for (int size : sizes) {
            String path = "/size" + size;
            byte[] payload = ("data: " + "x".repeat(size) + "\n\n").getBytes(StandardCharsets.US_ASCII);
            AtomicLong written = new AtomicLong();
            server.on(path, r -> {
                r.stream();
                written.set(System.nanoTime());
                r.write(payload);
                r.hold();
            });
            Recorder recorder = new Recorder();
            EventSource source = connect(path, recorder);
            List<SseEvent> events = recorder.awaitEvents(1, Duration.ofSeconds(3));
            assertThat(events.get(0).data().length()).as("size %d", size).isEqualTo(size);
            assertThat(events.get(0).data().chars().allMatch(c -> c == 'x')).isTrue();
            assertThat((recorder.signals("event").get(0).nanos() - written.get()) / 1_000_000).as("ms for %d", size)
                    .isLessThan(3000);
            source.close();
        }
    }

    @Test
    void cs34_aBurstOfAThousandEventsArrivesInOrderWithTheirIds() throws Exception {
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            burst.append("id: ").append(i).append("\ndata: message ").append(i).append("\n\n");
        }
        server.on("/s", r -> {
            r.stream().write(burst.toString());
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(1000);
        assertThat(events).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(events.get(i).data()).isEqualTo("message " + i);
            assertThat(events.get(i).id()).isEqualTo(String.valueOf(i));
        }
    }

    /**
     * Every case of {@code parser-cases.json} over a live connection: the pieces are written 10 ms apart,
     * then the response ends; the reconnect shows the last event ID, and comes after the case's
     * {@code retry} if it has one. Cases without a {@code retry} reconnect after a configured 100 ms, so that
     * their second request comes quickly; those with one above 5 s are not waited for. Cases run {@value #CASES_AT_ONCE} at a time, ordered by retry,
     * which keeps the run short without so many connections at once that a 2-core machine misses the
     * timing bounds.
     */
    @Test
    void cs35_theParserCasesHoldOverALiveConnection() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/parser-cases.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        List<JsonNode> ordered = new ArrayList<>();
        cases.forEach(ordered::add);
        ordered.sort(Comparator.comparingLong(CloseAndDeliveryScenariosTest::retryMillis));
        SoftAssertions softly = new SoftAssertions();
        for (int from = 0; from < ordered.size(); from += CASES_AT_ONCE) {
            List<JsonNode> batch = ordered.subList(from, Math.min(from + CASES_AT_ONCE, ordered.size()));
            List<Recorder> recorders = new ArrayList<>();
            List<EventSource> sources = new ArrayList<>();
            for (JsonNode c : batch) {
                String path = "/" + c.get("name").asText();
                byte[] input = Base64.getDecoder().decode(c.get("input_base64").asText());
                List<byte[]> pieces = pieces(input, c.get("chunks"));
                server.on(path, r -> {
                    r.stream();
                    for (int p = 0; p < pieces.size(); p++) {
                        if (p > 0) {
                            r.pause(10);
                        }
                        r.write(pieces.get(p));
                    }
                    r.end();
                });
                Recorder recorder = new Recorder();
                recorders.add(recorder);
                sources.add(connect(EventSourceConfig.builder(server.uri(path))
                        .lastEventId(c.path("initial_last_event_id").asText(""))
                        .reconnectTime(Duration.ofMillis(100)).build(), recorder));
            }
            for (int i = 0; i < batch.size(); i++) {
                checkCase(softly, batch.get(i), recorders.get(i));
            }
            sources.forEach(EventSource::close);
        }
        softly.assertAll();
    }

    private void checkCase(SoftAssertions softly, JsonNode c, Recorder recorder) throws Exception {
        String name = c.get("name").asText();
        recorder.await("error", 1);
        List<String> expected = new ArrayList<>();
        for (JsonNode e : c.get("expected_events")) {
            expected.add(e.get("type").asText() + "|" + e.get("data").asText() + "|" + e.get("lastEventId").asText());
        }
        softly.assertThat(recorder.events()).as(name).extracting(e -> e.type() + "|" + e.data() + "|" + e.id())
                .containsExactlyElementsOf(expected);
        softly.assertThat(recorder.errors().get(0).state()).as(name).isEqualTo(ReadyState.CONNECTING);
        JsonNode expectedRetry = c.get("expected_retry");
        long retry = retryMillis(c);
        if (retry > 5000) {
            return;
        }
        RecordedRequest first = server.awaitRequest("/" + name, 1);
        RecordedRequest second = server.awaitRequest("/" + name, 2, Duration.ofMillis(retry + 3000));
        // an HTTP field value cannot begin or end with spaces or tabs: they are not part of it (RFC 9110 §5.5)
        String lastEventId = c.get("expected_last_event_id").asText().replaceAll("^[ \\t]+|[ \\t]+$", "");
        if (lastEventId.isEmpty()) {
            softly.assertThat(second.hasHeader("Last-Event-ID")).as(name + ": Last-Event-ID present").isFalse();
        } else {
            softly.assertThat(second.headerBytes("Last-Event-ID")).as(name + ": Last-Event-ID")
                    .containsExactly(lastEventId.getBytes(StandardCharsets.UTF_8));
        }
        if (expectedRetry != null && !expectedRetry.isNull()) { // the scenario times the case's own retry only
            long gap = (second.arrivedNanos() - first.endedNanos()) / 1_000_000;
            softly.assertThat(gap).as(name + ": ms before the reconnect")
                    .isBetween(retry - 10, (long) (retry * 1.1) + 150 + TIMING_SLACK_MS);
        }
    }

    /** The case's expected retry, or the 100 ms the test configures when it has none. */
    private static long retryMillis(JsonNode c) {
        JsonNode retry = c.get("expected_retry");
        return retry == null || retry.isNull() ? 100 : retry.asLong();
    }

    @Test
    void cs36_initialLastEventIdIsSentOnTheFirstRequestAndReportedByEvents() throws Exception {
        server.on("/s", r -> {
            r.stream().write("data: x\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).lastEventId("abc").build(), recorder);

        List<SseEvent> events = recorder.awaitEvents(1);
        assertThat(server.awaitRequest("/s", 1).header("Last-Event-ID")).isEqualTo("abc");
        assertThat(events.get(0).data()).isEqualTo("x");
        assertThat(events.get(0).id()).isEqualTo("abc");
    }

    /** Our documented policy: a reconnect starts from the configured URL, whatever redirects were followed. */
    @Test
    void cs37_aReconnectAfterARedirectStartsFromTheConfiguredUrl() throws Exception {
        server.onEvery("/start", r -> r.status(307, "Location: /stream", "Content-Length: 0").end());
        server.onEvery("/stream", r -> r.stream().write("retry: 50\ndata: a\n\n").end());
        Recorder recorder = new Recorder();
        connect("/start", recorder);

        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("a", "a");
        assertThat(server.requests()).extracting(RecordedRequest::path).startsWith("/start", "/stream", "/start",
                "/stream");
    }

    private static List<byte[]> pieces(byte[] input, JsonNode chunks) {
        List<byte[]> pieces = new ArrayList<>();
        int start = 0;
        if (chunks != null) {
            for (JsonNode offset : chunks) {
                pieces.add(Arrays.copyOfRange(input, start, offset.asInt()));
                start = offset.asInt();
            }
        }
        pieces.add(Arrays.copyOfRange(input, start, input.length));
        return pieces;
    }
}
