package dev.herald.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Exchange} that writes the HTTP/1.1 request itself on a plain socket, for the one case the
 * JDK client gets wrong: it encodes HTTP/1.1 header fields as US-ASCII, so every octet above 0x7F of a
 * header value (a non-ASCII {@code Last-Event-ID}, which WHATWG HTML §9.2.3 wants sent as UTF-8) would
 * reach the server as {@code ?}. The engine uses it only for cleartext {@code http} requests that carry
 * such a value and no proxy; everything else goes through {@link JdkExchange}.
 *
 * <p>It runs one daemon thread for as long as the exchange lasts: it connects, writes the request,
 * reads the response head (skipping {@code 1xx}), then reads the body (chunked, by
 * {@code Content-Length}, or up to the close) one piece at a time, each only after the engine asked for
 * it. {@link #abort()} closes the socket, which ends the thread.
 *
 * <p>Thread-safe, as {@link Exchange}.
 */
final class SocketExchange extends Exchange {

    private static final int BUFFER_SIZE = 8192;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADER_LINES = 256;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final long connectTimeoutNanos;
    private final Object demandLock = new Object();
    /** Guarded by demandLock. */
    private boolean demand;
    private volatile Socket socket;
    private volatile HttpResponse.ResponseInfo response;

    SocketExchange(EventSourceEngine engine, Hop hop, long connectTimeoutNanos) {
        super(engine, hop);
        this.connectTimeoutNanos = connectTimeoutNanos;
    }

    /** True if {@code request} must be written by this class rather than by {@code client}. */
    static boolean needed(HttpClient client, HttpRequest request) {
        if (!request.uri().getScheme().equalsIgnoreCase("http") || client.proxy().isPresent()) {
            return false;
        }
        for (List<String> values : request.headers().map().values()) {
            for (String value : values) {
                for (int i = 0; i < value.length(); i++) {
                    if (value.charAt(i) > 0x7F) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    void start(HttpClient client, HttpRequest request) {
        Thread thread = new Thread(() -> exchange(request), "herald-eventsource-http1-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    HttpResponse.ResponseInfo response() {
        return response;
    }

    @Override
    void requestMore() {
        idleSince = System.nanoTime();
        synchronized (demandLock) {
            demand = true;
            demandLock.notifyAll();
        }
    }

    @Override
    void cancelTransport() {
        Socket s = socket;
        if (s != null) {
            closeQuietly(s);
        }
        synchronized (demandLock) {
            demandLock.notifyAll();
        }
    }

    private void exchange(HttpRequest request) {
        Socket s = new Socket();
        socket = s;
        try {
            if (aborted) {
                return;
            }
            long deadline = System.nanoTime() + connectTimeoutNanos;
            int port = uri.getPort() != -1 ? uri.getPort() : 80;
            s.connect(new InetSocketAddress(uri.getHost(), port), millisLeft(deadline));
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            out.write(head(request));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            Reader in = new Reader(s.getInputStream());
            HttpResponse.ResponseInfo info;
            do {
                s.setSoTimeout(millisLeft(deadline));
                info = in.readHead();
            } while (info.statusCode() >= 100 && info.statusCode() < 200 && info.statusCode() != 101);
            s.setSoTimeout(0);
            BodyReader bodyReader = bodyReader(info, in);
            response = info;
            engine.post(() -> engine.onResponse(this));
            for (;;) {
                if (!awaitDemand()) {
                    return;
                }
                ByteBuffer piece = bodyReader.next();
                if (piece == null) {
                    engine.post(() -> engine.onBodyEnd(this, null));
                    return;
                }
                idleSince = BUSY;
                List<ByteBuffer> chunk = List.of(piece);
                engine.post(() -> engine.onChunk(this, chunk));
            }
        } catch (IOException e) {
            if (aborted) {
                return;
            }
            IOException error = e instanceof SocketTimeoutException && response == null
                    ? new HttpTimeoutException("no response headers within the connect timeout") : e;
            if (response == null) {
                engine.post(() -> engine.onSendFailed(this, error));
            } else {
                engine.post(() -> engine.onBodyEnd(this, error));
            }
        } finally {
            closeQuietly(s);
        }
    }

    /** Waits until the engine asks for more; false if aborted meanwhile. */
    private boolean awaitDemand() {
        synchronized (demandLock) {
            while (!demand && !aborted) {
                try {
                    demandLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            demand = false;
            return !aborted;
        }
    }

    private byte[] head(HttpRequest request) {
        StringBuilder sb = new StringBuilder(256);
        String path = uri.getRawPath();
        sb.append(request.method()).append(' ').append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() != -1 && uri.getPort() != 80) {
            sb.append(':').append(uri.getPort());
        }
        sb.append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
            userAgent |= header.getKey().equalsIgnoreCase("user-agent");
            for (String value : header.getValue()) {
                sb.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        if (!userAgent) {
            sb.append("User-Agent: Java-http-client/").append(System.getProperty("java.version")).append("\r\n");
        }
        sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        // header values hold octets as chars up to U+00FF (see EventSourceEngine.headerValue)
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private BodyReader bodyReader(HttpResponse.ResponseInfo info, Reader in) throws IOException {
        int status = info.statusCode();
        if (status == 204 || status == 304 || method.equals("HEAD")) {
            return () -> null;
        }
        String coding = info.headers().firstValue("transfer-encoding").orElse("");
        if (coding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
            return new ChunkedReader(in);
        }
        String length = info.headers().firstValue("content-length").orElse(null);
        if (length != null) {
            long remaining;
            try {
                remaining = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("invalid Content-Length: " + length);
            }
            return new BodyReader() {
                long left = remaining;

                @Override
                public ByteBuffer next() throws IOException {
                    if (left == 0) {
                        return null;
                    }
                    ByteBuffer piece = in.read(left);
                    if (piece == null) {
                        throw new EOFException("connection closed " + left + " bytes before the end of the body");
                    }
                    left -= piece.remaining();
                    return piece;
                }
            };
        }
        return () -> in.read(Long.MAX_VALUE); // the body ends with the connection
    }

    private static int millisLeft(long deadline) throws HttpTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new HttpTimeoutException("no response headers within the connect timeout");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }

    /** The next piece of a body, or {@code null} at its end. */
    private interface BodyReader {
        ByteBuffer next() throws IOException;
    }

    /** Chunked transfer coding (RFC 9112 §7.1); trailers are read and ignored. */
    private static final class ChunkedReader implements BodyReader {
        private final Reader in;
        private long left;
        private boolean started;
        private boolean done;

        ChunkedReader(Reader in) {
            this.in = in;
        }

        @Override
        public ByteBuffer next() throws IOException {
            if (done) {
                return null;
            }
            if (left == 0) {
                if (started) {
                    in.readLine(); // the CRLF after a chunk's data
                }
                started = true;
                String line = in.readLine();
                int semicolon = line.indexOf(';');
                try {
                    left = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("invalid chunk size: " + line);
                }
                if (left == 0) {
                    while (!in.readLine().isEmpty()) {
                        // trailer fields
                    }
                    done = true;
                    return null;
                }
            }
            ByteBuffer piece = in.read(left);
            if (piece == null) {
                throw new EOFException("connection closed inside a chunk");
            }
            left -= piece.remaining();
            return piece;
        }
    }

    /** A buffered reader of lines and pieces. A piece stays valid until the next call. */
    private static final class Reader {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER_SIZE];
        private int position;
        private int limit;

        Reader(InputStream in) {
            this.in = in;
        }

        /** Up to {@code max} bytes, reading if none is buffered; null at the end of the stream. */
        ByteBuffer read(long max) throws IOException {
            if (position == limit && !fill()) {
                return null;
            }
            int n = (int) Math.min(max, limit - position);
            ByteBuffer piece = ByteBuffer.wrap(buffer, position, n);
            position += n;
            return piece;
        }

        /** A line without its CRLF or LF, as ISO-8859-1. */
        String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (;;) {
                if (position == limit && !fill()) {
                    throw new EOFException("connection closed inside the response head");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                if (sb.length() >= MAX_LINE) {
                    throw new IOException("response line longer than " + MAX_LINE + " bytes");
                }
                sb.append((char) (b & 0xFF));
            }
        }

        HttpResponse.ResponseInfo readHead() throws IOException {
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("invalid status line: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("invalid status line: " + statusLine);
            }
            Map<String, List<String>> fields = new LinkedHashMap<>();
            String previous = null;
            for (int count = 0;; count++) {
                String line = readLine();
                if (line.isEmpty()) {
                    break;
                }
                if (count == MAX_HEADER_LINES) {
                    throw new IOException("more than " + MAX_HEADER_LINES + " response header lines");
                }
                if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && previous != null) {
                    List<String> values = fields.get(previous); // obsolete line folding
                    values.set(values.size() - 1, values.get(values.size() - 1) + ' ' + line.strip());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("invalid response header line: " + line);
                }
                previous = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                fields.computeIfAbsent(previous, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
            }
            HttpHeaders headers = HttpHeaders.of(fields, (name, value) -> true);
            return new Info(status, headers);
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }
    }

    private record Info(int statusCode, HttpHeaders headers) implements HttpResponse.ResponseInfo {
        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
