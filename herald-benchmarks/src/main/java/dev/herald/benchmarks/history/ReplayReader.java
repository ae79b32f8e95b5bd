package dev.herald.benchmarks.history;

import dev.herald.sse.SseEvent;
import dev.herald.sse.SseListener;
import dev.herald.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One subscriber asking for {@code earliest} over a plain socket, timed until it has parsed a given
 * number of events. Nothing between the hub and the count but the socket and herald-sse's parser.
 *
 * <p>Not thread-safe: one measurement per instance.
 */
final class ReplayReader {

    private ReplayReader() {
    }

    /** Nanoseconds from sending the request to parsing the {@code expected}-th event. */
    static long timeToReplay(URI hub, String topic, int expected) throws IOException {
        String target = hub.getRawPath() + "?match=" + java.net.URLEncoder.encode(topic, StandardCharsets.UTF_8)
                + "&last_event_id=earliest";
        int[] count = new int[1];
        SseParser parser = SseParser.create(new SseListener() {
            @Override
            public void onEvent(SseEvent event) {
                count[0]++;
            }
        });
        try (Socket socket = new Socket(hub.getHost(), hub.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + hub.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[64 * 1024];
            int headerEnd = -1;
            byte[] head = new byte[0];
            while (count[0] < expected) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("stream ended after " + count[0] + " of " + expected + " events");
                }
                if (headerEnd < 0) { // skip the response head, then feed the body
                    byte[] joined = new byte[head.length + n];
                    System.arraycopy(head, 0, joined, 0, head.length);
                    System.arraycopy(buf, 0, joined, head.length, n);
                    headerEnd = indexOf(joined, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (headerEnd < 0) {
                        head = joined;
                        continue;
                    }
                    parser.feed(joined, headerEnd + 4, joined.length - headerEnd - 4);
                } else {
                    parser.feed(buf, 0, n);
                }
            }
            return System.nanoTime() - start;
        }
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
