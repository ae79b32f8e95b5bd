package dev.herald.benchmarks.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local SSE server of the client benchmark, run in a process of its own so that its work and its
 * heap do not count against the client being measured. HTTP/1.1 on {@code 127.0.0.1}, chunked, a
 * thread per connection:
 *
 * <ul>
 *   <li>{@code GET /fast}: small events (an id, a type and about 50 bytes of JSON, {@value #EVENT_BYTES}
 *       bytes in all) as fast as the client takes them, in 64 KiB writes;
 *   <li>{@code GET /idle}: one event, then nothing, held open until the client leaves.
 * </ul>
 *
 * <p>Usage: {@code BenchServer PORT_FILE}; it writes the port it listens on to {@code PORT_FILE}.
 * Thread-safe: connections share nothing.
 */
public final class BenchServer {

    /** Bytes of one {@code /fast} event, blank line included. */
    static final int EVENT_BYTES = 84;

    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private BenchServer() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(0, 4096, InetAddress.getByName("127.0.0.1"));
        Path portFile = Path.of(args[0]);
        Path tmp = Path.of(args[0] + ".tmp");
        Files.writeString(tmp, Integer.toString(server.getLocalPort()));
        Files.move(tmp, portFile);
        byte[] fast = chunk(fastEvents());
        byte[] idle = chunk("id: 1\nevent: hello\ndata: {\"open\":true}\n\n".getBytes(StandardCharsets.US_ASCII));
        for (;;) {
            Socket socket = server.accept();
            Thread thread = new Thread(() -> serve(socket, fast, idle), "bench-conn");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void serve(Socket socket, byte[] fast, byte[] idle) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            String path = readRequestPath(in);
            OutputStream out = socket.getOutputStream();
            out.write(HEAD);
            if (path.startsWith("/fast")) {
                for (;;) {
                    out.write(fast);
                }
            }
            out.write(idle);
            out.flush();
            while (in.read() >= 0) {
                // held open until the client closes
            }
        } catch (IOException e) {
            // the client left
        }
    }

    /** Reads the request head and returns the path of its request line. */
    private static String readRequestPath(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request ended");
            }
            head.append((char) b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String requestLine = head.substring(0, head.indexOf("\r\n"));
        return requestLine.split(" ")[1];
    }

    /** As many whole events as fit in 64 KiB; ids, prices and timestamps vary but never change width. */
    private static byte[] fastEvents() {
        int count = 64 * 1024 / EVENT_BYTES;
        StringBuilder sb = new StringBuilder(count * EVENT_BYTES);
        for (int i = 0; i < count; i++) {
            int cents = 10_000 + (int) ((i * 7919L) % 90_000);
            String event = "id: " + (1_000_000 + i) + "\nevent: quote\ndata: {\"symbol\":\"ACME\",\"price\":"
                    + cents / 100 + "." + (cents % 100 < 10 ? "0" : "") + cents % 100 + ",\"ts\":"
                    + (1_700_000_000_000L + i * 250L) + "}\n\n";
            if (event.length() != EVENT_BYTES) {
                throw new IllegalStateException("event of " + event.length() + " bytes: " + event);
            }
            sb.append(event);
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunk(byte[] data) {
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[size.length + data.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(data, 0, chunk, size.length, data.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }
}
