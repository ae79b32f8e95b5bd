package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.testing.ScenarioSupport;
import dev.herald.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The examples of {@code docs/client.md} (and the README), as written there but for the URL, do what they say. */
class GuideExamplesTest extends ScenarioSupport {

    @Test
    void followingAStreamPrintsEachEvent() throws Exception {
        server.on("/events", r -> {
            r.stream().write("id: 1\nevent: price\ndata: 42\n\n");
            r.hold();
        });
        String url = server.uri("/events").toString();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        // begin: the ten lines of the guide, System.out replaced by out
        EventSourceConfig config = EventSourceConfig.builder(url)
                .readTimeout(Duration.ofMinutes(1))          // drop a silent connection, reconnect
                .build();
        EventSource source = EventSource.connect(config, new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, SseEvent event) {
                out.println(event.type() + " #" + event.id() + ": " + event.data());
            }
        });
        // end

        try {
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> printed.toString(StandardCharsets.UTF_8).equals("price #1: 42\n"));
        } finally {
            source.close();
        }
    }

    @Test
    void pullingEventsEndsAfterA204() throws Exception {
        server.on("/events", r -> r.stream().write("retry: 10\ndata: a\n\ndata: b\n\n").end(), r -> r.status(204).end());
        String url = server.uri("/events").toString();
        StringBuilder out = new StringBuilder();

        try (EventStream events = EventStream.open(EventSourceConfig.builder(url).build())) {
            while (events.hasNext()) {           // waits; reconnects by itself
                SseEvent event = events.next();
                out.append(event.data()).append('\n');
            }
        }

        assertThat(out).hasToString("a\nb\n");
    }
}
