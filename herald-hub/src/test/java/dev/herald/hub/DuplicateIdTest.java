package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Mercure §"Reconciliation": a publisher may reuse an id; a {@code Last-Event-ID} bearing it
 * resolves to the earliest such update, and every later update is sent, the reused one included.
 */
class DuplicateIdTest {

    @Test
    void reusedIdResolvesToTheEarliestAndTheLaterDuplicateIsReplayed() throws Exception {
        try (Hub hub = TestHubs.start()) {
            hub.publish(Update.builder("dup").id("v1").data("first v1").build());
            hub.publish(Update.builder("dup").id("other").data("between").build());
            hub.publish(Update.builder("dup").id("v1").data("second v1").build());
            try (SseStream s = SseStream.open(TestHubs.url(hub, "match=dup"), "Last-Event-ID", "v1")) {
                assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue("v1");
                assertThat(s.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data)
                        .containsExactly("between", "second v1");
                assertThat(s.poll(Duration.ofMillis(200))).isNull();
            }
        }
    }
}
