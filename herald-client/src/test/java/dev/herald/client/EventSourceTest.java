package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.Recorder;
import dev.herald.client.testing.ScenarioSupport;
import dev.herald.sse.SseEvent;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the event source does beyond the shared scenarios: its API, threading, limits and options. */
class EventSourceTest extends ScenarioSupport {

    @Test
    void callbacksRunOnTheEventSourcePoolNeverOnHttpClientThreads() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 10\n:c\n\ndata: a\n\n").end(), r -> {
            r.stream().write("data: b\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect("/s", recorder);

        recorder.awaitEvents(2);
        assertThat(recorder.signals()).extracting(Recorder.Signal::kind).contains("open", "comment", "event", "error");
        assertThat(recorder.signals()).allSatisfy(s -> assertThat(s.thread()).startsWith("herald-eventsource-"));
    }

    @Test
    void typedHandlersReceiveOnlyTheirTypeAfterTheListenerAndCanBeRemoved() throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        server.on("/s", r -> {
            r.stream();
            registered.await(5, TimeUnit.SECONDS);
            r.write("event: greeting\ndata: hi\n\ndata: plain\n\n");
            r.pause(300).write("event: greeting\ndata: again\n\n");
            r.hold();
        });
        List<String> order = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder().onEventDo((s, e) -> order.add("listener:" + e.data()));
        EventSource source = connect("/s", recorder);
        EventHandler greeting = (s, e) -> order.add("greeting:" + e.data());
        source.addEventListener("greeting", greeting).addEventListener("greeting", greeting);
        source.addEventListener("message", (s, e) -> order.add("message:" + e.data()));
        registered.countDown();

        recorder.awaitEvents(2);
        source.removeEventListener("greeting", greeting);
        recorder.awaitEvents(3);
        assertThat(order).containsExactly("listener:hi", "greeting:hi", "listener:plain", "message:plain",
                "listener:again");
    }

    @Test
    void aThrowingListenerDoesNotStopDelivery() throws Exception {
        server.on("/s", r -> {
            r.stream().write("data: 1\n\ndata: 2\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder().onEventDo((s, e) -> {
            throw new IllegalStateException("listener bug");
        });
        connect("/s", recorder);

        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("1", "2");
    }

    @Test
    void restartDropsTheConnectionAndReconnectsAtOnceWithoutAnError() throws Exception {
        server.on("/s", r -> {
            r.stream().write("retry: 5000\nid: 7\ndata: first\n\n");
            r.hold();
        }, r -> {
            r.stream().write("data: second\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        EventSource source = connect("/s", recorder);
        recorder.awaitEvents(1);

        long restarted = System.nanoTime();
        source.restart();
        RecordedRequest second = server.awaitRequest("/s", 2);
        recorder.awaitEvents(2);

        assertThat(server.awaitRequest("/s", 1).awaitClientClose(Duration.ofSeconds(1))).isTrue();
        assertThat((second.arrivedNanos() - restarted) / 1_000_000).as("ms to reconnect, despite retry: 5000")
                .isLessThan(1000);
        assertThat(second.header("Last-Event-ID")).isEqualTo("7");
        assertThat(recorder.errors()).isEmpty();
        assertThat(recorder.opens()).hasSize(2);
    }

    @Test
    void closeFromAnotherThreadWaitsForTheRunningCallbackAndNoneFollows() throws Exception {
        server.on("/s", r -> {
            r.stream().write("data: 1\n\ndata: 2\n\n");
            r.hold();
        });
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean callbackReturned = new AtomicBoolean();
        Recorder recorder = new Recorder().onEventDo((s, e) -> {
            if (e.data().equals("1")) {
                inCallback.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                callbackReturned.set(true);
            }
        });
        EventSource source = connect("/s", recorder);
        assertThat(inCallback.await(5, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(source::close);
        closer.start();
        Thread.sleep(200);
        assertThat(closer.isAlive()).as("close() waits for the callback in progress").isTrue();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        release.countDown();
        closer.join(5000);
        assertThat(callbackReturned).isTrue();
        Thread.sleep(200);
        assertThat(recorder.data()).containsExactly("1");
    }

    @Test
    void aSlowListenerHoldsTheReadingBackInsteadOfBuffering() throws Exception {
        AtomicLong written = new AtomicLong();
        byte[] block = ("data: " + "x".repeat(64 * 1024 - 8) + "\n\n").getBytes(StandardCharsets.US_ASCII);
        server.on("/s", r -> {
            r.stream();
            for (int i = 0; i < 1024; i++) { // 64 MiB if nothing held it back
                r.write(block);
                written.addAndGet(block.length);
            }
            r.hold();
        });
        CountDownLatch release = new CountDownLatch(1);
        Recorder recorder = new Recorder().onEventDo((s, e) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        connect("/s", recorder);

        recorder.awaitEvents(1);
        Thread.sleep(1000);
        long stalledAt = written.get();
        assertThat(stalledAt).as("bytes the server could write while the listener was blocked")
                .isLessThan(32L * 1024 * 1024);
        Thread.sleep(300);
        assertThat(written.get()).as("the server stays blocked").isEqualTo(stalledAt);
        release.countDown();
        recorder.awaitEvents(3);
    }

    @Test
    void anEventOverTheMaximumSizeDropsTheConnectionAndReconnects() throws Exception {
        server.on("/s", r -> {
            r.stream().watchClose().write("retry: 20\ndata: ok\n\ndata: " + "x".repeat(2000) + "\n\n");
            r.request().awaitClientClose(Duration.ofSeconds(5));
        }, r -> {
            r.stream().write("data: small\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).maxEventSize(1000).build(), recorder);

        assertThat(recorder.awaitEvents(2)).extracting(SseEvent::data).containsExactly("ok", "small");
        Recorder.Signal error = recorder.errors().get(0);
        assertThat(error.error()).isInstanceOf(EventTooLargeException.class);
        assertThat(((EventTooLargeException) error.error()).maxEventSize()).isEqualTo(1000);
        assertThat(error.state()).isEqualTo(ReadyState.CONNECTING);
        assertThat(server.awaitRequest("/s", 1).clientClosedNanos()).isNotZero();
    }

    @Test
    void postWithABodyIsSentOnEveryRequestWithTheDefaultContentType() throws Exception {
        server.on("/s", r -> r.stream().write("retry: 20\ndata: a\n\n").end());
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).method("POST").body("topics=a").build(), recorder);

        RecordedRequest second = server.awaitRequest("/s", 2);
        for (RecordedRequest request : List.of(server.awaitRequest("/s", 1), second)) {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.bodyText()).isEqualTo("topics=a");
            assertThat(request.header("Content-Type")).isEqualTo(EventSourceConfig.DEFAULT_BODY_CONTENT_TYPE);
        }
    }

    @Test
    void a303AfterAQueryTurnsIntoAGetWithoutBodyOrContentType() throws Exception {
        server.on("/q", r -> r.status(303, "Location: /events", "Content-Length: 0").end());
        server.on("/events", r -> {
            r.stream().write("data: found\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/q")).method("QUERY").header("Content-Type",
                "application/x-www-form-urlencoded").body("match=a").build(), recorder);

        recorder.awaitEvents(1);
        RecordedRequest query = server.awaitRequest("/q", 1);
        assertThat(query.method()).isEqualTo("QUERY");
        assertThat(query.bodyText()).isEqualTo("match=a");
        RecordedRequest get = server.awaitRequest("/events", 1);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.body()).isEmpty();
        assertThat(get.hasHeader("Content-Type")).isFalse();
    }

    @Test
    void noResponseHeadersWithinTheConnectTimeoutIsANetworkErrorAndRetried() throws Exception {
        server.on("/s", r -> r.hold());
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).connectTimeout(Duration.ofMillis(300))
                .reconnectTime(Duration.ofMillis(50)).build(), recorder);

        Recorder.Signal error = recorder.await("error", 1).get(0);
        assertThat(error.state()).isEqualTo(ReadyState.CONNECTING);
        assertThat(error.error()).isInstanceOf(StreamIOException.class);
        assertThat(error.error().getCause()).isInstanceOf(HttpTimeoutException.class);
        server.awaitRequest("/s", 2);
    }

    @Test
    void theConnectTimeoutDoesNotCutAnOpenStream() throws Exception {
        server.on("/s", r -> {
            r.stream();
            for (int i = 0; i < 6; i++) {
                r.pause(150).write(":\n");
            }
            r.write("data: still here\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        connect(EventSourceConfig.builder(server.uri("/s")).connectTimeout(Duration.ofMillis(300)).build(), recorder);

        assertThat(recorder.awaitEvents(1)).extracting(SseEvent::data).containsExactly("still here");
        assertThat(recorder.errors()).isEmpty();
    }

    @Test
    void closeBeforeTheResponseReleasesThePendingRequest() throws Exception {
        server.on("/s", r -> r.hold());
        Recorder recorder = new Recorder();
        EventSource source = connect("/s", recorder);
        RecordedRequest request = server.awaitRequest("/s", 1);

        source.close();

        assertThat(request.awaitClientClose(Duration.ofSeconds(2))).as("the client closed the socket").isTrue();
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(recorder.signals()).isEmpty();
    }

    @Test
    void lastEventIdFollowsTheStream() throws Exception {
        server.on("/s", r -> {
            r.stream().write("id: 41\ndata: a\n\nid: 42\ndata: b\n\n");
            r.hold();
        });
        Recorder recorder = new Recorder();
        EventSource source = connect(EventSourceConfig.builder(server.uri("/s")).lastEventId("40").build(), recorder);
        assertThat(source.lastEventId()).isEqualTo("40");

        recorder.awaitEvents(2);
        assertThat(source.lastEventId()).isEqualTo("42");
        assertThat(source.toString()).contains(server.uri("/s").toString(), "OPEN");
    }
}
