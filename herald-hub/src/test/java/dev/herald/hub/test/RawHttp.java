package dev.herald.hub.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Speaks HTTP/1.1 byte by byte over a plain socket, for requests no HTTP client would send
 * (malformed, truncated, oversized, slow), and reads back one response head (and its body when it
 * has a {@code Content-Length}).
 */
public final class RawHttp implements AutoCloseable {

    /** {@link Response#status()} when the hub closed the connection without answering. */
    public static final int CLOSED = -1;
    /** {@link Response#status()} when nothing came back in time and the connection is still open. */
    public static final int SILENT = -2;

    /**
     * What came back: the status (or {@link #CLOSED} / {@link #SILENT}), the head and the body text.
     */
    public record Response(int status, String head, String body) {
        /** A response header's value (first occurrence, name case-insensitive), or {@code null}. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean eof;

    public RawHttp(InetSocketAddress hub) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", hub.getPort()), 5000);
        socket.setSoTimeout(50);
        in = socket.getInputStream();
    }

    /** Opens a connection, sends {@code request} and reads one response within {@code timeout}. */
    public static Response exchange(InetSocketAddress hub, byte[] request, Duration timeout) throws IOException {
        try (RawHttp raw = new RawHttp(hub)) {
            try {
                raw.send(request);
            } catch (java.net.SocketException refusedMidway) {
                // the hub answered (413, 400...) and closed before all of a large request was written:
                // what it answered was already received, so read it (RFC 9112 §9.6)
            }
            return raw.read(timeout);
        }
    }

    public static Response exchange(InetSocketAddress hub, String request, Duration timeout) throws IOException {
        return exchange(hub, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the next response (head, and body by {@code Content-Length}) within {@code timeout}. */
    public Response read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int headEnd;
        while ((headEnd = indexOf(received.toByteArray(), "\r\n\r\n")) < 0) {
            if (!fill(deadline)) {
                return new Response(eof ? CLOSED : SILENT, received.toString(StandardCharsets.ISO_8859_1), "");
            }
        }
        byte[] all = received.toByteArray();
        String head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = contentLength(head);
        int bodyStart = headEnd + 4;
        while (length > 0 && received.size() - bodyStart < length && fill(deadline)) {
            // keep reading the body
        }
        all = received.toByteArray();
        int bodyEnd = length < 0 ? bodyStart : Math.min(all.length, bodyStart + length);
        String body = new String(all, bodyStart, bodyEnd - bodyStart, StandardCharsets.UTF_8);
        received.reset();
        received.write(all, bodyEnd, all.length - bodyEnd);
        return new Response(status, head, body);
    }

    /** Whether the hub closes the connection within {@code timeout} (bytes that arrive meanwhile are kept). */
    public boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof && fill(deadline)) {
            // drain
        }
        return eof;
    }

    /** Everything received and not yet consumed by {@link #read}. */
    public String pending() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private boolean fill(long deadline) throws IOException {
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                    return false;
                }
                received.write(buf, 0, n);
                return true;
            } catch (SocketTimeoutException e) {
                // poll again
            } catch (IOException e) {
                eof = true; // reset by the hub
                return false;
            }
        }
        return false;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return -1;
    }

    private static int indexOf(byte[] data, String text) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + t.length <= data.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (data[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Drops the connection without a goodbye: a TCP reset, as when a client's machine or network vanishes. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
