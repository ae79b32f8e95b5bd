package dev.herald.benchmarks.sse;

import dev.herald.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The workload shared by the SSE benchmarks: {@value #EVENTS} small JSON quote events, 10 MiB on
 * the wire, every event exactly {@value #EVENT_BYTES} bytes long so that events/s converts exactly
 * to bytes/s:
 *
 * <pre>
 * id: 1000123
 * event: quote
 * data: {"symbol":"ACME","price":123.45,"ts":1700000030750}
 * (blank line)
 * </pre>
 *
 * <p>Stateless and thread-safe; every call builds fresh values.
 */
final class QuoteStream {

    /** Bytes of one event on the wire, blank line included. */
    static final int EVENT_BYTES = 84;
    /** Events in the stream: as many whole events as fit in 10 MiB. */
    static final int EVENTS = 10 * 1024 * 1024 / EVENT_BYTES;

    private QuoteStream() {
    }

    /** The {@code i}-th event; ids, prices and timestamps vary but never change width. */
    static SseEvent event(int i) {
        int cents = 10_000 + (int) ((i * 7919L) % 90_000); // 100.00 .. 999.99
        String data = "{\"symbol\":\"ACME\",\"price\":" + cents / 100 + "." + (cents % 100 < 10 ? "0" : "")
                + cents % 100 + ",\"ts\":" + (1_700_000_000_000L + i * 250L) + "}";
        return SseEvent.builder().id(Integer.toString(1_000_000 + i)).type("quote").data(data).build();
    }

    /** All {@value #EVENTS} events. */
    static SseEvent[] events() {
        SseEvent[] events = new SseEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = event(i);
        }
        return events;
    }

    /**
     * The stream's bytes, written by hand rather than by the encoder under test (the benchmarks check
     * that every encoder produces exactly these bytes).
     */
    static byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(EVENTS * EVENT_BYTES);
        for (int i = 0; i < EVENTS; i++) {
            SseEvent e = event(i);
            String text = "id: " + e.id() + "\nevent: " + e.type() + "\ndata: " + e.data() + "\n\n";
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            if (b.length != EVENT_BYTES) {
                throw new IllegalStateException("event " + i + " is " + b.length + " bytes: " + text);
            }
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
