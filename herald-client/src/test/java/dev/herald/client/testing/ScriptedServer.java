package dev.herald.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * The scripted HTTP/1.1 server of the client scenarios ({@code client-scenarios.md}, "Test harness
 * conventions"): on {@code 127.0.0.1}, an ephemeral port, it handles the <i>n</i>-th request to a path
 * with script step <i>n</i> and records every request (arrival time, method, path, query, raw header
 * bytes, body) and when its response ended and when the client closed the socket. A request beyond the
 * script gets {@code 200 text/event-stream} and is held open.
 *
 * <p>Responses are chunked, each write its own chunk and its own TCP write, with
 * {@code Connection: close}. Thread-safe: one thread per connection.
 */
public final class ScriptedServer implements AutoCloseable {

    /** One step of a script: what the server does with one request. */
    @FunctionalInterface
    public interface Step {
        void run(Response response) throws Exception;
    }

    /** Holds a plain event stream open, as requests beyond the script get. */
    public static final Step HOLD = r -> {
        r.stream();
        r.hold();
    };

    private final ServerSocket serverSocket;
    private final Map<String, List<Step>> scripts = new HashMap<>();
    private final Map<String, Step> everyRequest = new HashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A server on an ephemeral port. */
    public ScriptedServer() throws IOException {
        this(0);
    }

    /** A server on {@code port} (0 for an ephemeral one). */
    public ScriptedServer(int port) throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
        Thread acceptor = new Thread(this::acceptLoop, "scripted-server-" + serverSocket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** {@code http://127.0.0.1:port} + {@code pathAndQuery}. */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** Scripts {@code path}: its n-th request is handled by {@code steps[n - 1]}. */
    public synchronized ScriptedServer on(String path, Step... steps) {
        scripts.put(path, List.of(steps));
        return this;
    }

    /** Handles every request to {@code path} with {@code step}. */
    public synchronized ScriptedServer onEvery(String path, Step step) {
        everyRequest.put(path, step);
        return this;
    }

    /** All requests so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests to {@code path} so far, in arrival order. */
    public List<RecordedRequest> requests(String path) {
        List<RecordedRequest> result = new ArrayList<>();
        for (RecordedRequest r : requests) {
            if (r.path().equals(path)) {
                result.add(r);
            }
        }
        return result;
    }

    /** The {@code n}-th request (1-based) to {@code path}, waiting up to {@code timeout} for it. */
    public RecordedRequest awaitRequest(String path, int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            List<RecordedRequest> list = requests(path);
            if (list.size() >= n) {
                return list.get(n - 1);
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no request #" + n + " to " + path + " within " + timeout.toMillis()
                        + " ms (got " + list.size() + ")");
            }
            Thread.sleep(2);
        }
    }

    /** The {@code n}-th request to {@code path}, within 5 seconds. */
    public RecordedRequest awaitRequest(String path, int n) throws InterruptedException, TimeoutException {
        return awaitRequest(path, n, Duration.ofSeconds(5));
    }

    @Override
    public void close() throws IOException {
        closed = true;
        serverSocket.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            sockets.add(socket);
            Thread handler = new Thread(() -> handle(socket), "scripted-server-conn");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            RecordedRequest request = readRequest(socket.getInputStream());
            if (request == null) {
                return;
            }
            Step step;
            synchronized (this) {
                requests.add(request);
                List<Step> script = scripts.get(request.path());
                int index = requests(request.path()).size() - 1;
                step = script != null && index < script.size() ? script.get(index)
                        : everyRequest.getOrDefault(request.path(), HOLD);
            }
            Response response = new Response(socket, request);
            step.run(response);
            response.finish();
        } catch (Exception e) {
            // the client went away or the server closed; the recording says what happened
        } finally {
            sockets.remove(socket);
        }
    }

    private static RecordedRequest readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        long arrived = System.nanoTime();
        byte[] bytes = head.toByteArray();
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                if (i > start) {
                    byte[] line = new byte[i - start];
                    System.arraycopy(bytes, start, line, 0, line.length);
                    lines.add(line);
                }
                start = i + 2;
                i++;
            }
        }
        String requestLine = new String(lines.get(0), StandardCharsets.ISO_8859_1);
        String[] parts = requestLine.split(" ");
        String target = parts[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        RecordedRequest request = new RecordedRequest(arrived, parts[0], path, query, lines.subList(1, lines.size()));
        String length = request.header("Content-Length");
        byte[] body = new byte[0];
        if (length != null && Integer.parseInt(length.trim()) > 0) {
            body = in.readNBytes(Integer.parseInt(length.trim()));
        } else if ("chunked".equalsIgnoreCase(request.header("Transfer-Encoding"))) {
            body = readChunked(in);
        }
        request.body(body);
        return request;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (;;) {
            String sizeLine = readLine(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) b);
        }
    }

    /** What a step does with its request. Not thread-safe: used by the connection's thread. */
    public static final class Response {
        private final Socket socket;
        private final RecordedRequest request;
        private boolean headersSent;
        private boolean chunked;
        private boolean done;

        Response(Socket socket, RecordedRequest request) {
            this.socket = socket;
            this.request = request;
        }

        public RecordedRequest request() {
            return request;
        }

        /** Sends {@code 200 OK} with {@code Content-Type: text/event-stream}. */
        public Response stream() throws IOException {
            return status(200, "Content-Type: text/event-stream");
        }

        /**
         * Sends the status line and the given header lines (plus {@code Connection: close}, and
         * {@code Transfer-Encoding: chunked} unless the status has no body or a Content-Length is given).
         */
        public Response status(int code, String... headerLines) throws IOException {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
            boolean length = false;
            for (String line : headerLines) {
                sb.append(line).append("\r\n");
                length |= line.regionMatches(true, 0, "Content-Length:", 0, 15);
            }
            chunked = !length && code != 204 && code != 304 && code >= 200;
            if (chunked) {
                sb.append("Transfer-Encoding: chunked\r\n");
            }
            sb.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            headersSent = true;
            return this;
        }

        /** Sends the status line and header lines with no body framing at all: the body ends with the connection. */
        public Response statusUnframed(int code, String... headerLines) throws IOException {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
            for (String line : headerLines) {
                sb.append(line).append("\r\n");
            }
            sb.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            headersSent = true;
            chunked = false;
            return this;
        }

        /** Writes {@code text} as UTF-8, in one chunk and one TCP write. */
        public Response write(String text) throws IOException {
            return write(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Writes {@code bytes} in one chunk and one TCP write; nothing if empty (that would end the body). */
        public Response write(byte[] bytes) throws IOException {
            if (bytes.length == 0) {
                return this;
            }
            if (!chunked) {
                socket.getOutputStream().write(bytes);
            } else {
                byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                byte[] frame = new byte[size.length + bytes.length + 2];
                System.arraycopy(size, 0, frame, 0, size.length);
                System.arraycopy(bytes, 0, frame, size.length, bytes.length);
                frame[frame.length - 2] = '\r';
                frame[frame.length - 1] = '\n';
                socket.getOutputStream().write(frame);
            }
            socket.getOutputStream().flush();
            return this;
        }

        /** Flushes (every write does) and pauses. */
        public Response pause(long millis) throws InterruptedException {
            Thread.sleep(millis);
            return this;
        }

        /** Ends the response normally (the terminating chunk) and closes the socket. */
        public void end() throws IOException {
            if (done) {
                return;
            }
            done = true;
            request.ended(System.nanoTime());
            if (chunked) {
                socket.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            }
            socket.shutdownOutput();
            socket.close();
        }

        /** Aborts the response: closes the socket with a TCP RST, without the terminating chunk. */
        public void abort() throws IOException {
            if (done) {
                return;
            }
            done = true;
            request.ended(System.nanoTime());
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /**
         * Watches for the client closing the socket on a thread of its own, so that the step can keep
         * writing; {@link RecordedRequest#awaitClientClose} reports it.
         */
        public Response watchClose() {
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    while (in.read() >= 0) {
                        // wait for the close
                    }
                } catch (IOException e) {
                    // reset: closed as well
                }
                request.clientClosed(System.nanoTime());
            }, "scripted-server-watch");
            watcher.setDaemon(true);
            watcher.start();
            return this;
        }

        /** Holds the response open until the client closes the socket (or the server stops). */
        public void hold() throws IOException {
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // a client may not send more on this connection; wait for its close
                }
            } catch (IOException e) {
                // reset by the client: closed as well
            }
            request.clientClosed(System.nanoTime());
            done = true;
        }

        void finish() throws IOException {
            if (!done) {
                if (!headersSent) {
                    stream();
                }
                end();
            }
        }

        private static String reason(int code) {
            switch (code) {
                case 200: return "OK";
                case 204: return "No Content";
                case 301: return "Moved Permanently";
                case 302: return "Found";
                case 303: return "See Other";
                case 307: return "Temporary Redirect";
                case 308: return "Permanent Redirect";
                default: return "Status";
            }
        }
    }

}
