package dev.herald.hub.test;

import dev.herald.sse.SseEvent;
import dev.herald.sse.SseListener;
import dev.herald.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test subscriber: opens an event stream with the JDK client and parses it with herald-sse on
 * a reader thread. Events and comments land in queues the test polls with timeouts.
 */
public final class SseStream implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public final int status;
    public final HttpHeaders headers;
    public final String errorBody;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;
    private volatile boolean ended;

    private SseStream(HttpResponse<InputStream> response) throws IOException {
        this.status = response.statusCode();
        this.headers = response.headers();
        this.body = response.body();
        if (status != 200) {
            this.errorBody = new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            this.reader = null;
            body.close();
            return;
        }
        this.errorBody = null;
        SseParser parser = SseParser.create(new SseListener() {
            @Override
            public void onEvent(SseEvent event) {
                events.add(event);
            }

            @Override
            public void onComment(String comment) {
                comments.add(comment);
            }
        });
        this.reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = body.read(buf)) >= 0) {
                    parser.feed(buf, 0, n);
                }
            } catch (IOException ignored) {
                // closed by the test or the hub
            } finally {
                ended = true;
            }
        }, "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseStream open(URI url, String... headerPairs) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
        }
        return open(b.build());
    }

    /** Opens a stream with a request of the test's making (another method, a body...). */
    public static SseStream open(HttpRequest request) throws IOException, InterruptedException {
        return new SseStream(CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The next event, or fails after {@code timeout}. */
    public SseEvent next(Duration timeout) throws InterruptedException {
        SseEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return e;
    }

    public SseEvent next() throws InterruptedException {
        return next(Duration.ofSeconds(5));
    }

    /** The next {@code n} events. */
    public List<SseEvent> next(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SseEvent> out = new ArrayList<>(n);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            SseEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " events within " + timeout);
            }
            out.add(e);
        }
        return out;
    }

    /** Whether no event arrives within {@code wait}. */
    public SseEvent poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String nextComment(Duration timeout) throws InterruptedException {
        String c = comments.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("no comment within " + timeout);
        }
        return c;
    }

    /** Whether the hub ended the stream. */
    public boolean ended() {
        return ended;
    }

    public void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        if (!ended) {
            throw new AssertionError("stream still open after " + timeout);
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
