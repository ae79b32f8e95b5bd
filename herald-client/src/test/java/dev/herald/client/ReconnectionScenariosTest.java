package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.Recorder;
import dev.herald.client.testing.ScenarioSupport;
import dev.herald.client.testing.ScriptedServer;
import dev.herald.sse.SseEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client scenarios CS-11 to CS-27: reconnection ({@code client-scenarios.md} part B). */
class ReconnectionScenariosTest extends ScenarioSupport {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    void cs11_cleanEndOfStreamReconnectsAfterTheRetryTimeAndReportsErrorFirst() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 50\ndata: ok\n\n").end(),
                r -> {
                    r.stream().write("data: data\n\n");
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("ok", "data");
        assertThat(recorder.signals()).extracting(s -> s.kind() + ":" + s.state())
                .containsExactly("open:OPEN", "event:OPEN", "error:CONNECTING", "open:OPEN", "event:OPEN");
        RecordedRequest first = server.awaitRequest("/s", 1);
        RecordedRequest second = server.awaitRequest("/s", 2);
        assertThat(recorder.errors().get(0).nanos()).as("onError before request #2").isLessThan(second.arrivedNanos());
        assertThat(recorder.errors().get(0).error()).isInstanceOf(StreamClosedByServerException.class);
        assertReconnectDelay(first, second, 50);
    }

    @Test
    void cs12_retryFieldSetsTheDelayInDecimal() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 400\ndata: x\n\n").end(),
                r -> r.stream().write("retry:0300\ndata: y\n\n").end());
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        RecordedRequest third = server.awaitRequest("/s", 3);
        assertReconnectDelay(server.awaitRequest("/s", 1), server.awaitRequest("/s", 2), 400);
        assertReconnectDelay(server.awaitRequest("/s", 2), third, 300);
    }

    @Test
    void cs13_invalidRetryValuesAreIgnored() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 400\nretry: 100x\nretry: -1\nretry:  50\ndata: x\n\n").end());
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        assertReconnectDelay(server.awaitRequest("/s", 1), server.awaitRequest("/s", 2), 400);
    }

    @Test
    void cs14_reconnectionTimePersistsAcrossConnections() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 300\ndata: a\n\n").end(),
                r -> r.stream().write("data: b\n\n").end());
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        RecordedRequest third = server.awaitRequest("/s", 3);
        assertReconnectDelay(server.awaitRequest("/s", 1), server.awaitRequest("/s", 2), 300);
        assertReconnectDelay(server.awaitRequest("/s", 2), third, 300);
    }

    @Test
    void cs15_lastEventIdIsSentOnReconnectAfterAnAbort() throws Exception {
        server.on("/s",
                r -> {
                    r.stream().write("retry: 50\nid: abc\ndata: Hello\n\n");
                    r.abort();
                },
                r -> {
                    r.stream().write("data: again\n\n");
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("abc");
        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("Hello", "again");
        assertThat(recorder.errors().get(0).error()).isInstanceOf(StreamIOException.class);
    }

    @Test
    void cs16_lastEventIdIsKeptWhenLaterEventsHaveNoId() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 50\nid: abc\ndata: Hello\n\ndata: World\n\n").end());
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(2);
        assertThat(events.get(1).data()).isEqualTo("World");
        assertThat(events.get(1).id()).isEqualTo("abc");
        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("abc");
    }

    @Test
    void cs17_emptyIdClearsLastEventIdAndNoHeaderIsSent() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 50\nid: abc\ndata: Hello\n\nid: \ndata: World\n\n").end());
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(2);
        assertThat(events.get(1).data()).isEqualTo("World");
        assertThat(events.get(1).id()).isEmpty();
        RecordedRequest second = server.awaitRequest("/s", 2);
        assertThat(second.hasHeader("Last-Event-ID")).as("Last-Event-ID present: %s", second).isFalse();
    }

    @Test
    void cs18_idOnlyBlockSetsLastEventIdWithoutDispatching() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 50\n\nid: 42\n\n").end(),
                r -> {
                    r.stream().write("42".equals(r.request().header("Last-Event-ID"))
                            ? "data: Reconnected with 42\n\n" : "data: wrong\n\n");
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(1);
        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("42");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).data()).isEqualTo("Reconnected with 42");
        assertThat(events.get(0).id()).isEqualTo("42");
    }

    @ParameterizedTest(name = "abort={0}")
    @ValueSource(booleans = {true, false})
    void cs19_partialEventAtDisconnectIsDiscardedWithItsId(boolean abort) throws Exception {
        server.on("/s",
                r -> {
                    r.stream().write("retry: 50\nid: abc\ndata: Hello\n\nid: def\ndata: Goodbye");
                    if (abort) {
                        r.abort();
                    } else {
                        r.end();
                    }
                },
                r -> {
                    r.stream().write("data: We meet again\n\n");
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(2);
        assertThat(events).extracting(SseEvent::data).containsExactly("Hello", "We meet again");
        assertThat(events.get(1).id()).isEqualTo("abc");
        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("abc");
    }

    @Test
    void cs20_nonAsciiLastEventIdIsSentAsUtf8AndPersistsIntoTheNewConnection() throws Exception {
        ScriptedServer.Step echo = r -> {
            byte[] id = r.request().headerBytes("Last-Event-ID").stream().findFirst().orElse(new byte[0]);
            byte[] body = new byte[id.length + 8];
            System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, body, 0, 6);
            System.arraycopy(id, 0, body, 6, id.length);
            body[body.length - 2] = '\n';
            body[body.length - 1] = '\n';
            r.stream().write(body).end();
        };
        server.on("/s", r -> r.stream().write("id: \u2026\nretry: 200\ndata: hello\n\n").end(), echo, echo);
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        byte[] ellipsis = {(byte) 0xE2, (byte) 0x80, (byte) 0xA6};
        assertThat(server.awaitRequest("/s", 2).headerBytes("Last-Event-ID")).containsExactly(ellipsis);
        assertThat(server.awaitRequest("/s", 3).headerBytes("Last-Event-ID")).containsExactly(ellipsis);
        List<SseEvent> events = recorder.awaitEvents(2);
        assertThat(events.get(1).data()).isEqualTo("\u2026");
        assertThat(events.get(1).id()).isEqualTo("\u2026");
    }

    @Test
    void cs21_idContainingNulIsNeverSent() throws Exception {
        ScriptedServer.Step step = r -> r.stream().write("id: \0\0\nretry: 200\ndata: hello\n\n").end();
        server.on("/s", step, step);
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(2);
        assertThat(events).extracting(SseEvent::data).containsExactly("hello", "hello");
        assertThat(events).extracting(SseEvent::id).containsExactly("", "");
        RecordedRequest second = server.awaitRequest("/s", 2);
        assertThat(second.hasHeader("Last-Event-ID")).as("Last-Event-ID present: %s", second).isFalse();
    }

    @Test
    void cs22_networkErrorBeforeAnyResponseRetriesInsteadOfFailing() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort(); // closed again: connections to it are refused
        }
        Recorder recorder = new Recorder();
        // no stream can set a short retry before the first connection: the default is configured instead
        connect(EventSourceConfig.builder("http://127.0.0.1:" + port + "/s").reconnectTime(Duration.ofMillis(50))
                .build(), recorder);
        List<Recorder.Signal> refused = recorder.await("error", 2);

        try (ScriptedServer late = new ScriptedServer(port)) {
            late.on("/s", r -> {
                r.stream().write("data: finally\n\n");
                r.hold();
            });
            assertThat(recorder.awaitEvents(1, Duration.ofSeconds(10))).extracting(SseEvent::data)
                    .containsExactly("finally");
            List<String> kinds = recorder.signals().stream().map(Recorder.Signal::kind).toList();
            assertThat(kinds.subList(kinds.size() - 2, kinds.size())).containsExactly("open", "event");
        }
        assertThat(refused).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(ReadyState.CONNECTING);
            assertThat(s.error()).isInstanceOf(StreamIOException.class);
        });
        assertThat(recorder.errors()).extracting(Recorder.Signal::state).containsOnly(ReadyState.CONNECTING);
        assertThat(recorder.opens()).hasSize(1);
    }

    @Test
    void cs23_connectionDroppedMidStreamIsReestablishedWithLastEventId() throws Exception {
        server.on("/s",
                r -> {
                    r.stream().write("retry: 50\nid: abc\ndata: Hello\n\n").pause(100);
                    r.abort();
                },
                r -> {
                    r.stream().write("id: def\ndata: World\n\n");
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        List<SseEvent> events = recorder.awaitEvents(2);
        assertThat(events).extracting(e -> e.data() + "/" + e.id()).containsExactly("Hello/abc", "World/def");
        assertThat(recorder.errors()).hasSize(1);
        assertThat(recorder.errors().get(0).state()).isEqualTo(ReadyState.CONNECTING);
        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("abc");
    }

    @Test
    void cs24_readTimeoutClosesTheSocketAndReconnects() throws Exception {
        AtomicLong lastWrite = new AtomicLong();
        // "retry: 50" added so that the reconnect after the timeout does not take the 3 s default
        server.on("/s", r -> {
            r.stream().write("retry: 50\ndata: Hello\n\n");
            lastWrite.set(System.nanoTime());
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).readTimeout(Duration.ofMillis(500)).build(), recorder);

        assertThat(recorder.awaitEvents(1)).extracting(SseEvent::data).containsExactly("Hello");
        Recorder.Signal error = recorder.await("error", 1).get(0);
        assertThat(error.state()).isEqualTo(ReadyState.CONNECTING);
        assertThat(error.error()).isInstanceOf(ReadTimeoutException.class);
        assertThat((error.nanos() - lastWrite.get()) / 1_000_000).as("ms of silence before the timeout")
                .isBetween(490L, 500 * 11 / 10 + 150 + TIMING_SLACK_MS);
        RecordedRequest first = server.awaitRequest("/s", 1);
        assertThat(first.awaitClientClose(Duration.ofSeconds(1))).as("the client closed the socket").isTrue();
        server.awaitRequest("/s", 2);
    }

    @Test
    void cs25_commentKeepAlivesStopTheReadTimeoutFiring() throws Exception {
        server.on("/s", r -> {
            r.stream();
            for (int i = 0; i < 15; i++) {
                r.write(":\n").pause(200);
            }
            r.write("data: alive\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).readTimeout(Duration.ofMillis(500)).build(), recorder);

        assertThat(recorder.awaitEvents(1, Duration.ofSeconds(8))).extracting(SseEvent::data).containsExactly("alive");
        assertThat(recorder.errors()).isEmpty();
        assertThat(recorder.signals("comment")).hasSize(15).allSatisfy(s -> assertThat(s.comment()).isEmpty());
        assertThat(server.requests("/s")).hasSize(1);
    }

    @Test
    void cs26_everyResponseBodyGetsItsOwnBomHandling() throws Exception {
        server.on("/s",
                r -> r.stream().write(concat(BOM, "retry: 50\ndata: a\n\n")).end(),
                r -> {
                    r.stream().write(concat(BOM, "data: b\n\n"));
                    r.hold();
                });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("a", "b");
    }

    /**
     * Our policy (see {@link EventSourceConfig}): the n-th failure in a row waits between
     * max(retry, cap × (1 − jitter)) and cap = min(maxReconnectTime, retry × 2^(n−1)); an attempt that
     * dispatched an event resets the series.
     */
    @Test
    void cs27_backoffGrowsOverRepeatedFailuresIsCappedAndResetsAfterSuccess() throws Exception {
        ScriptedServer.Step dies = r -> {
            r.stream().write("retry: 50\n");
            r.abort();
        };
        server.on("/s", dies, dies, dies, dies, dies, r -> r.stream().write("data: ok\n\n").end());
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        RecordedRequest seventh = server.awaitRequest("/s", 7, Duration.ofSeconds(10));
        List<RecordedRequest> requests = server.requests("/s");
        long[] gaps = new long[5];
        for (int n = 1; n <= 5; n++) {
            long cap = Math.min(30_000, 50L << (n - 1));
            long low = Math.max(50, cap - (long) (cap * EventSourceConfig.DEFAULT_BACKOFF_JITTER));
            gaps[n - 1] = assertDelayBetween(requests.get(n - 1), requests.get(n), low, cap);
        }
        assertThat(gaps[4]).as("the wait grew").isGreaterThan(gaps[0]);
        assertReconnectDelay(requests.get(5), seventh, 50);
        assertThat(recorder.data()).containsExactly("ok");
    }

    private static byte[] concat(byte[] prefix, String text) {
        byte[] rest = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + rest.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        return all;
    }
}
