package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseScannerTest {

    private final List<long[]> events = new ArrayList<>();
    private final SseScanner scanner = new SseScanner((t, s) -> events.add(new long[] {t, s}));

    private void feed(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        scanner.write(b, 0, b.length);
    }

    @Test
    void reportsTimestampAndSequenceOfEachEvent() {
        feed("id: urn:uuid:1\ndata: {\"t\":123,\"s\":7,\"p\":\"xx\"}\n\n: keep-alive\n\nid: 2\ndata: {\"t\":456,\"s\":8}\n\n");

        assertThat(events).containsExactly(new long[] {123, 7}, new long[] {456, 8});
    }

    @Test
    void sameEventsWhateverTheSplit() {
        String stream = "event: x\r\ndata: {\"t\":99,\"s\":1}\r\n\r\ndata: {\"s\":2,\"t\":100}\rdata: second line\r\r"
                + "data:{\"t\":5,\"s\":3}\n\n";
        byte[] b = stream.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= b.length; split++) {
            events.clear();
            SseScanner s = new SseScanner((t, seq) -> events.add(new long[] {t, seq}));
            s.write(b, 0, split);
            s.write(b, split, b.length - split);
            assertThat(events).as("split at %d", split)
                    .containsExactly(new long[] {99, 1}, new long[] {100, 2}, new long[] {5, 3});
        }
    }

    @Test
    void eventsWithoutTheKeysAreReportedAsAbsent() {
        feed("event: herald-reset\ndata: {\"lastEventId\":null}\n\n");

        assertThat(events).containsExactly(new long[] {SseScanner.ABSENT, SseScanner.ABSENT});
    }

    @Test
    void blockWithoutDataIsNotAnEvent() {
        feed("id: 5\nevent: x\n\n:comment\n\nretry: 10\n\n");

        assertThat(events).isEmpty();
    }

    @Test
    void onlyTheFirstDataLineIsRead() {
        feed("data: {\"t\":1,\"s\":2}\ndata: {\"t\":3,\"s\":4}\n\n");

        assertThat(events).containsExactly(new long[] {1, 2});
    }

    @Test
    void longLinesAreCutNotOverflowed() {
        feed("data: {\"t\":1,\"s\":2,\"p\":\"" + "x".repeat(10_000) + "\"}\n\n");

        assertThat(events).containsExactly(new long[] {1, 2});
    }

    @Test
    void numberParsing() {
        byte[] b = "{\"a\":1,\"t\":\"x\",\"s\":42}".getBytes(StandardCharsets.US_ASCII);

        assertThat(SseScanner.number(b, b.length, (byte) 's')).isEqualTo(42);
        assertThat(SseScanner.number(b, b.length, (byte) 't')).isEqualTo(SseScanner.ABSENT);
        assertThat(SseScanner.number(b, b.length, (byte) 'q')).isEqualTo(SseScanner.ABSENT);
    }

    @Test
    void payloadReadsBack() {
        String data = Payload.of(81_234_567_890L, 42, 64);
        assertThat(data).hasSize(64);
        feed("data: " + data + "\n\n");

        assertThat(events).containsExactly(new long[] {81_234_567_890L, 42});
        assertThat(Payload.of(1, 1, 10)).isEqualTo("{\"t\":1,\"s\":1,\"p\":\"\"}");
    }
}
