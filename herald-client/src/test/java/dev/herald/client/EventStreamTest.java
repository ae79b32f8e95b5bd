package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.client.testing.ScriptedServer;
import dev.herald.sse.SseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blocking, pull-style {@link EventStream}. */
class EventStreamTest {

    private ScriptedServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void iteratesEventsAcrossReconnectsAndEndsNormallyOn204() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 10\nid: 1\ndata: a\n\ndata: b\n\n").end(),
                r -> r.stream().write("data: c\n\n").end(),
                r -> r.status(204).end());
        List<String> seen = new ArrayList<>();
        try (EventStream events = EventStream.open(EventSourceConfig.builder(server.uri("/s")).build())) {
            while (events.hasNext()) {
                SseEvent event = events.next();
                seen.add(event.data() + "/" + event.id());
            }
            assertThat(events.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThatThrownBy(events::next).isInstanceOf(NoSuchElementException.class);
        }
        assertThat(seen).containsExactly("a/1", "b/1", "c/1");
        assertThat(server.awaitRequest("/s", 2).header("Last-Event-ID")).isEqualTo("1");
    }

    @Test
    void aFailureIsThrownAfterTheEventsReceivedBeforeIt() throws Exception {
        server.on("/s",
                r -> r.stream().write("retry: 10\ndata: a\n\n").end(),
                r -> r.status(404).end());
        try (EventStream events = EventStream.open(EventSourceConfig.builder(server.uri("/s")).build())) {
            assertThat(events.next().data()).isEqualTo("a");
            assertThatThrownBy(events::hasNext).isInstanceOfSatisfying(HttpStatusException.class,
                    e -> assertThat(e.statusCode()).isEqualTo(404));
        }
    }

    @Test
    void streamOfEventsClosesTheEventStreamWhenClosed() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            body.append("data: ").append(i).append("\n\n");
        }
        server.on("/s", r -> {
            r.stream().write(body.toString());
            r.hold();
        });
        EventStream events = EventStream.open(EventSourceConfig.builder(server.uri("/s")).build());
        String firstFive;
        try (var stream = events.stream()) {
            firstFive = stream.limit(5).map(SseEvent::data).collect(Collectors.joining(","));
        }
        assertThat(firstFive).isEqualTo("0,1,2,3,4");
        assertThat(events.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(events.hasNext()).isFalse();
        assertThat(server.awaitRequest("/s", 1).awaitClientClose(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void closeReleasesAFeederBlockedOnAFullBufferAndEndsIteration() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append("data: ").append(i).append("\n\n");
        }
        server.on("/s", r -> {
            r.stream().write(body.toString());
            r.hold();
        });
        EventStream events = EventStream.open(EventSourceConfig.builder(server.uri("/s")).build(), 4);
        assertThat(events.next().data()).isEqualTo("0");
        Thread.sleep(200); // the feeder now waits for room

        Thread closer = new Thread(events::close);
        closer.start();
        closer.join(2000);
        assertThat(closer.isAlive()).as("close() returned").isFalse();
        assertThat(events.hasNext()).isFalse();
        assertThat(events.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void pollReturnsNullWhenNothingArrivesInTime() throws Exception {
        server.on("/s", r -> {
            r.stream().write("data: a\n\n").pause(600).write("data: b\n\n");
            r.hold();
        });
        try (EventStream events = EventStream.open(EventSourceConfig.builder(server.uri("/s")).build())) {
            assertThat(events.poll(Duration.ofSeconds(5)).data()).isEqualTo("a");
            assertThat(events.poll(Duration.ofMillis(100))).isNull();
            assertThat(events.poll(Duration.ofSeconds(5)).data()).isEqualTo("b");
        }
    }

    @Test
    void capacityMustBePositive() {
        EventSourceConfig config = EventSourceConfig.builder(server.uri("/s")).build();
        assertThatThrownBy(() -> EventStream.open(config, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity: 0 (expected: > 0)");
    }
}
