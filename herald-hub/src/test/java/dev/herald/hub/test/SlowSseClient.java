package dev.herald.hub.test;

import dev.herald.hub.Hub;
import dev.herald.sse.SseEvent;
import dev.herald.sse.SseListener;
import dev.herald.sse.SseParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An event stream over a raw socket whose reading the test controls: after {@link #open} nothing is
 * read (the socket's small receive buffer fills, then the hub's send buffer, then the hub sees the
 * stream congested) until {@link #readUntil} reads and parses events.
 */
public final class SlowSseClient implements AutoCloseable {

    /** Small, so a stopped reader congests the hub after a few tens of kilobytes. */
    private static final int RECEIVE_BUFFER = 4096;

    private final Socket socket;
    private final InputStream in;
    private final List<SseEvent> events = new ArrayList<>();
    private final SseParser parser = SseParser.create(new SseListener() {
        @Override
        public void onEvent(SseEvent event) {
            events.add(event);
        }
    });
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private String status;
    private boolean closedByHub;

    private SlowSseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Opens {@code GET {hub}?query} (the query already encoded) with extra header lines
     * ({@code "Name: value"}), and reads nothing yet.
     */
    public static SlowSseClient open(Hub hub, String query, String... headerLines) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting, so the window stays small
        socket.connect(new InetSocketAddress("127.0.0.1", hub.address().getPort()), 5000);
        StringBuilder request = new StringBuilder("GET " + hub.url().getPath() + "?" + query
                + " HTTP/1.1\r\nHost: hub\r\nAccept: text/event-stream\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return new SlowSseClient(socket);
    }

    /**
     * Reads until an event satisfying {@code last} arrives (returning every event so far, in order),
     * or fails after {@code timeout}.
     */
    public List<SseEvent> readUntil(Predicate<SseEvent> last, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout(100);
        byte[] buf = new byte[16384];
        while (events.stream().noneMatch(last)) {
            if (System.nanoTime() > deadline || closedByHub) {
                throw new AssertionError((closedByHub ? "stream closed by the hub" : "no matching event within "
                        + timeout) + " (status " + status + ", " + events.size() + " events)");
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                closedByHub = true;
                continue;
            }
            feed(buf, n);
        }
        return List.copyOf(events);
    }

    /** The status line, once the response head was read. */
    public String status() {
        return status;
    }

    private void feed(byte[] buf, int n) {
        int from = 0;
        if (status == null) {
            for (; from < n && status == null; from++) {
                head.write(buf[from]);
                String h = head.toString(StandardCharsets.ISO_8859_1);
                if (h.endsWith("\r\n\r\n")) {
                    status = h.substring(0, h.indexOf("\r\n"));
                }
            }
        }
        parser.feed(buf, from, n - from);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
