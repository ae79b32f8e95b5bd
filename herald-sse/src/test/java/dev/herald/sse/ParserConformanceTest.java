package dev.herald.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the shared conformance file {@code parser-cases.json} (a copy of
 * {@code shared/conformance/parser-cases.json}) fed whole, at its chunk offsets and one byte at a
 * time. Both advisory cases ({@code retry-in-unterminated-final-block},
 * {@code retry-empty-value-ignored}) are decided as the file records: a {@code retry} line takes
 * effect when its line ends, whether or not its block is dispatched, and an empty value is not
 * "ASCII digits" so it is ignored.
 */
class ParserConformanceTest {

    private static final int EXPECTED_CASES = 138;

    record Case(String name, byte[] input, int[] chunks, String initialLastEventId,
                List<SseEvent> expectedEvents, long expectedRetry, String expectedLastEventId) {
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = ParserConformanceTest.class.getResourceAsStream("/parser-cases.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root) {
                int[] chunks = new int[0];
                if (c.hasNonNull("chunks")) {
                    chunks = new int[c.get("chunks").size()];
                    for (int i = 0; i < chunks.length; i++) {
                        chunks[i] = c.get("chunks").get(i).asInt();
                    }
                }
                List<SseEvent> events = new ArrayList<>();
                for (JsonNode e : c.get("expected_events")) {
                    events.add(SseEvent.dispatched(e.get("lastEventId").asText(), e.get("type").asText(),
                            e.get("data").asText()));
                }
                JsonNode retry = c.get("expected_retry");
                cases.add(new Case(c.get("name").asText(),
                        Base64.getDecoder().decode(c.get("input_base64").asText()),
                        chunks,
                        c.hasNonNull("initial_last_event_id") ? c.get("initial_last_event_id").asText() : "",
                        events,
                        retry == null || retry.isNull() ? SseEvent.NO_RETRY : retry.asLong(),
                        c.get("expected_last_event_id").asText()));
            }
            return cases;
        }
    }

    @Test
    void fileHoldsEveryCase() throws IOException {
        assertThat(cases()).hasSize(EXPECTED_CASES);
    }

    @TestFactory
    Stream<DynamicContainer> everyCasePassesWholeChunkedAndByteByByte() throws IOException {
        return cases().stream().map(c -> DynamicContainer.dynamicContainer(c.name(), Stream.of(
                DynamicTest.dynamicTest("whole", () -> check(c, new int[0])),
                DynamicTest.dynamicTest("chunks", () -> check(c, c.chunks())),
                DynamicTest.dynamicTest("byte-by-byte", () -> check(c, everyOffset(c.input().length))))));
    }

    private static int[] everyOffset(int length) {
        int[] offsets = new int[Math.max(0, length - 1)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i + 1;
        }
        return offsets;
    }

    private static void check(Case c, int[] splits) {
        RecordingListener listener = new RecordingListener();
        SseParser parser = SseParser.builder(listener).lastEventId(c.initialLastEventId()).build();
        int from = 0;
        for (int split : splits) {
            // a fresh array per chunk, so nothing can rely on earlier chunks staying readable
            parser.feed(java.util.Arrays.copyOfRange(c.input(), from, split));
            from = split;
        }
        parser.feed(java.util.Arrays.copyOfRange(c.input(), from, c.input().length));
        parser.reset(); // end of stream

        assertThat(listener.events).as("events").containsExactlyElementsOf(c.expectedEvents());
        assertThat(listener.retry).as("retry").isEqualTo(c.expectedRetry());
        assertThat(parser.reconnectionTime()).as("reconnectionTime()").isEqualTo(c.expectedRetry());
        assertThat(parser.lastEventId()).as("lastEventId").isEqualTo(c.expectedLastEventId());
    }
}
