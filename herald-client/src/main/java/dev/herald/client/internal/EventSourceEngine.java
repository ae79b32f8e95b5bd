package dev.herald.client.internal;

import dev.herald.client.ContentTypeException;
import dev.herald.client.EventHandler;
import dev.herald.client.EventSource;
import dev.herald.client.EventSourceConfig;
import dev.herald.client.EventSourceException;
import dev.herald.client.EventSourceListener;
import dev.herald.client.EventTooLargeException;
import dev.herald.client.HttpStatusException;
import dev.herald.client.ReadTimeoutException;
import dev.herald.client.ReadyState;
import dev.herald.client.RedirectException;
import dev.herald.client.StreamClosedByServerException;
import dev.herald.client.StreamIOException;
import dev.herald.sse.SseEvent;
import dev.herald.sse.SseEventTooLargeException;
import dev.herald.sse.SseListener;
import dev.herald.sse.SseParser;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The state machine behind an {@link EventSource}: WHATWG HTML §9.2.2 (fetch and processResponse) and
 * §9.2.3 (announce, reestablish and fail the connection), with the parsing of §9.2.6 delegated to
 * {@link SseParser}.
 *
 * <p>Concurrency: everything that changes the state of a connection runs as a task on a
 * {@link SerialExecutor} over the callback executor, one at a time: what the HTTP client reports (headers,
 * body chunks, end, errors) and what the timers fire is posted there. {@link #close()} and
 * {@link #restart()} may come from any thread: they mark the current {@link Exchange} aborted at once
 * (which cancels it) and the serial tasks ignore reports about an aborted or superseded exchange. The
 * {@code readyState} is a volatile field changed by compare-and-set so that {@code CLOSED} always wins.
 * Callbacks run while holding this object's monitor, and check the caller's close inside it; {@code close()}
 * takes the monitor once after marking the close, so that no callback can start after it returns.
 *
 * <p>Thread-safe. Not part of the public API.
 */
public final class EventSourceEngine implements SseListener {

    private static final System.Logger LOG = System.getLogger(EventSource.class.getName());

    /** The JDK client reads into 16 KiB buffers by default; one copy per buffer then. */
    private static final int SCRATCH_SIZE = 16 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_SIZE]);

    private static final VarHandle STATE;
    private static final VarHandle HANDLERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(EventSourceEngine.class, "state", ReadyState.class);
            HANDLERS = lookup.findVarHandle(EventSourceEngine.class, "handlers", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventSource source;
    private final EventSourceConfig config;
    private final EventSourceListener listener;
    private final HttpClient client;
    private final SerialExecutor serial;
    /** Serial-confined. One parser for the whole life of the event source: it keeps the last event ID and retry. */
    private final SseParser parser;

    private volatile ReadyState state = ReadyState.CONNECTING;
    /** {@link #close()} was called: no callback may start any more. */
    private volatile boolean closedByCaller;
    /** The exchange in progress or the last one; written on the serial executor only. */
    private volatile Exchange exchange;
    private volatile ScheduledFuture<?> reconnectTask;
    /** Event handlers by type, replaced as a whole (copy on write). */
    private volatile Map<String, List<EventHandler>> handlers = Map.of();

    /** Serial-confined: failed attempts in a row, for the backoff. */
    private int failures;
    /** Serial-confined: the exchange whose chunk is being parsed. */
    private Exchange feeding;

    public EventSourceEngine(EventSource source, EventSourceConfig config, EventSourceListener listener) {
        this.source = source;
        this.config = config;
        this.listener = listener;
        this.client = config.httpClient();
        this.serial = new SerialExecutor(config.callbackExecutor());
        this.parser = SseParser.builder(this)
                .maxEventSize(config.maxEventSize())
                .lastEventId(config.lastEventId())
                .build();
    }

    public EventSourceConfig config() {
        return config;
    }

    public ReadyState readyState() {
        return state;
    }

    public String lastEventId() {
        return parser.lastEventId(); // an immutable String read racily: at worst a moment old
    }

    /** Makes the first attempt. */
    public void start() {
        post(this::connect);
    }

    void post(Runnable task) {
        serial.execute(task);
    }

    // ---------------------------------------------------------------------------------------------
    // Calls from any thread

    /** §9.2.2 {@code close()}: abort the fetch, set CLOSED; and no callback after this returns. */
    public void close() {
        if (closedByCaller) {
            return;
        }
        closedByCaller = true;
        state = ReadyState.CLOSED;
        Exchange x = exchange;
        if (x != null) {
            x.abort();
        }
        ScheduledFuture<?> task = reconnectTask;
        if (task != null) {
            task.cancel(false);
        }
        synchronized (this) {
            // waits for a callback running on another thread; those that start later see closedByCaller
        }
    }

    public void restart() {
        if (closedByCaller || state == ReadyState.CLOSED) {
            return;
        }
        Exchange x = exchange;
        if (x != null) {
            x.abort();
        }
        post(this::restartNow);
    }

    public void addEventListener(String type, EventHandler handler) {
        updateHandlers(type, list -> {
            if (list.contains(handler)) {
                return list;
            }
            List<EventHandler> more = new ArrayList<>(list);
            more.add(handler);
            return more;
        });
    }

    public void removeEventListener(String type, EventHandler handler) {
        updateHandlers(type, list -> {
            List<EventHandler> fewer = new ArrayList<>(list);
            fewer.remove(handler);
            return fewer;
        });
    }

    /** Replaces the handlers of {@code type} by {@code change} of them, copying the map (copy on write). */
    private void updateHandlers(String type, UnaryOperator<List<EventHandler>> change) {
        for (;;) {
            Map<String, List<EventHandler>> current = handlers;
            List<EventHandler> before = current.getOrDefault(type, List.of());
            List<EventHandler> after = change.apply(before);
            if (after.equals(before)) {
                return;
            }
            Map<String, List<EventHandler>> next = new HashMap<>(current);
            if (after.isEmpty()) {
                next.remove(type);
            } else {
                next.put(type, List.copyOf(after));
            }
            if (HANDLERS.compareAndSet(this, current, Map.copyOf(next))) {
                return;
            }
        }
    }

    /** Run by the shared timer for {@link Exchange#run()}: checks the read timeout without blocking. */
    void checkIdle(Exchange x) {
        if (x.aborted) {
            return;
        }
        long timeout = config.readTimeout().toNanos();
        long since = x.idleSince;
        long wait = since == Exchange.BUSY ? timeout : timeout - (System.nanoTime() - since);
        if (wait > 0) {
            x.watchdog = SharedResources.scheduler().schedule(x, wait, TimeUnit.NANOSECONDS);
            if (x.aborted) {
                x.watchdog.cancel(false);
            }
            return;
        }
        post(() -> onReadTimeout(x));
    }

    // ---------------------------------------------------------------------------------------------
    // Serial tasks

    private void connect() {
        if (closedByCaller || state == ReadyState.CLOSED) {
            return;
        }
        send(new Exchange.Hop(config.uri(), config.method(), config.body(), false, false, 0));
    }

    private void restartNow() {
        if (closedByCaller || state == ReadyState.CLOSED) {
            return;
        }
        Exchange x = exchange;
        if (x != null) {
            x.abort();
        }
        ScheduledFuture<?> task = reconnectTask;
        if (task != null) {
            task.cancel(false);
        }
        parser.reset();
        failures = 0;
        if (setConnecting()) {
            connect();
        }
    }

    /** A reconnect timer fired; it is stale if another exchange started since {@code ended}. */
    private void reconnect(Exchange ended) {
        if (exchange != ended || state != ReadyState.CONNECTING || closedByCaller) {
            return;
        }
        reconnectTask = null;
        connect();
    }

    private void send(Exchange.Hop hop) {
        HttpRequest request;
        try {
            request = buildRequest(hop);
        } catch (IllegalArgumentException e) {
            // not expected: the configuration was validated; retrying would fail the same way
            fail(new StreamIOException(new IOException("cannot build the request: " + e.getMessage(), e)));
            return;
        }
        Exchange x = SocketExchange.needed(client, request)
                ? new SocketExchange(this, hop, config.connectTimeout().toNanos())
                : new JdkExchange(this, hop);
        exchange = x;
        if (closedByCaller) { // close() may have read the previous exchange
            x.abort();
            return;
        }
        try {
            x.start(client, request);
        } catch (IllegalArgumentException | SecurityException e) {
            x.abort();
            fail(new StreamIOException(new IOException("cannot send the request: " + e.getMessage(), e)));
        }
    }

    void onSendFailed(Exchange x, Throwable error) {
        if (x != exchange || x.aborted) {
            return;
        }
        x.abort();
        reestablish(x, networkError(error));
    }

    /** §9.2.2 processResponse, once the headers arrived. */
    void onResponse(Exchange x) {
        if (x != exchange || x.aborted) {
            x.abort();
            return;
        }
        HttpResponse.ResponseInfo response = x.response();
        int status = response.statusCode();
        if (isRedirect(status)) {
            String location = response.headers().firstValue("location").orElse("").trim();
            if (!location.isEmpty()) {
                redirect(x, status, location);
                return;
            }
            // without a usable Location, fetch returns the 3xx itself: status != 200 fails below
        }
        // step 3: status not 200, or a content type other than text/event-stream, fails the connection
        if (status != 200) {
            x.abort();
            fail(new HttpStatusException(status, response.headers()));
            return;
        }
        String contentType = response.headers().firstValue("content-type").orElse(null);
        if (!isEventStream(contentType)) {
            x.abort();
            fail(new ContentTypeException(contentType));
            return;
        }
        // step 4: announce the connection (§9.2.3): OPEN, then the open event
        if (!STATE.compareAndSet(this, ReadyState.CONNECTING, ReadyState.OPEN)) {
            x.abort(); // closed meanwhile
            return;
        }
        x.openedAt = System.nanoTime();
        startWatchdog(x);
        x.requestMore(); // the first chunk is dispatched after onOpen: this executor is serial
        synchronized (this) {
            if (!closedByCaller && !x.aborted) {
                try {
                    listener.onOpen(source, response);
                } catch (Throwable t) {
                    listenerFailed("onOpen", t);
                }
            }
        }
    }

    /** Interprets a chunk of the body (§9.2.5), then asks for the next one. */
    void onChunk(Exchange x, List<ByteBuffer> buffers) {
        if (x != exchange || x.aborted) {
            return;
        }
        feeding = x;
        byte[] scratch = takeScratch();
        try {
            for (int i = 0, n = buffers.size(); i < n; i++) {
                ByteBuffer buffer = buffers.get(i);
                // the JDK hands out read-only slices, whose array is out of reach: copy through a scratch
                // array owned by this thread, rather than let every parser keep a copy buffer of its own
                while (buffer.hasRemaining()) {
                    int length = Math.min(buffer.remaining(), scratch.length);
                    buffer.get(scratch, 0, length);
                    parser.feed(scratch, 0, length);
                    if (x.aborted) {
                        return; // closed, restarted or timed out by a callback: stop dispatching
                    }
                }
            }
        } catch (SseEventTooLargeException e) {
            x.abort();
            parser.reset();
            reestablish(x, new EventTooLargeException(e));
            return;
        } finally {
            feeding = null;
            SCRATCH.set(scratch);
        }
        if (listener instanceof ChunkEndListener) {
            synchronized (this) {
                if (closedByCaller || x.aborted) {
                    return;
                }
                try {
                    ((ChunkEndListener) listener).onChunkEnd();
                } catch (Throwable t) {
                    listenerFailed("onChunkEnd", t);
                }
            }
        }
        x.requestMore();
    }

    /**
     * This thread's scratch array, taken out of the thread-local while in use: a listener that makes
     * another event source parse on this same thread (a direct executor) gets an array of its own.
     */
    private static byte[] takeScratch() {
        byte[] scratch = SCRATCH.get();
        if (scratch == null) {
            return new byte[SCRATCH_SIZE];
        }
        SCRATCH.set(null);
        return scratch;
    }

    /** The body ended ({@code error == null}, §9.2.2 processEventSourceEndOfBody) or broke. */
    void onBodyEnd(Exchange x, Throwable error) {
        if (x != exchange || x.aborted) {
            return;
        }
        x.abort();
        parser.reset(); // §9.2.6: pending data at the end of the stream is discarded
        reestablish(x, error == null ? new StreamClosedByServerException() : networkError(error));
    }

    private void onReadTimeout(Exchange x) {
        if (x != exchange || x.aborted) {
            return;
        }
        long since = x.idleSince;
        if (since == Exchange.BUSY || System.nanoTime() - since < config.readTimeout().toNanos()) {
            checkIdle(x); // a chunk arrived meanwhile
            return;
        }
        x.abort();
        parser.reset();
        reestablish(x, new ReadTimeoutException(config.readTimeout()));
    }

    // ---------------------------------------------------------------------------------------------
    // §9.2.3 processing model

    /**
     * Reestablish the connection: unless CLOSED, set CONNECTING and fire {@code error}; wait the
     * reconnection time (plus backoff); then, if still CONNECTING, fetch again with
     * {@code Last-Event-ID}. The timer starts before the callback so that a slow {@code onError} does not
     * add to the wait; the reconnect itself runs after it on this serial executor.
     */
    private void reestablish(Exchange ended, EventSourceException error) {
        if (!setConnecting()) {
            return;
        }
        long delay = nextDelayMillis(ended);
        ScheduledFuture<?> task = SharedResources.scheduler().schedule(
                () -> post(() -> reconnect(ended)), delay, TimeUnit.MILLISECONDS);
        reconnectTask = task;
        if (closedByCaller) {
            task.cancel(false);
        }
        callOnError(error);
    }

    /** Fail the connection: unless CLOSED, set CLOSED and fire {@code error}; never reconnect. */
    private void fail(EventSourceException error) {
        for (;;) {
            ReadyState s = state;
            if (s == ReadyState.CLOSED) {
                return;
            }
            if (STATE.compareAndSet(this, s, ReadyState.CLOSED)) {
                break;
            }
        }
        ScheduledFuture<?> task = reconnectTask;
        if (task != null) {
            task.cancel(false);
        }
        callOnError(error);
        synchronized (this) {
            if (!closedByCaller) {
                try {
                    listener.onClosed(source);
                } catch (Throwable t) {
                    listenerFailed("onClosed", t);
                }
            }
        }
    }

    /** Sets CONNECTING unless CLOSED; false if CLOSED. */
    private boolean setConnecting() {
        for (;;) {
            ReadyState s = state;
            if (s == ReadyState.CLOSED) {
                return false;
            }
            if (s == ReadyState.CONNECTING || STATE.compareAndSet(this, s, ReadyState.CONNECTING)) {
                return true;
            }
        }
    }

    /**
     * The wait before the next attempt: the stream's {@code retry} or the configured reconnection time,
     * with backoff when the attempt that just ended failed. It succeeded if it dispatched an event or
     * stayed open for the backoff reset threshold.
     */
    private long nextDelayMillis(Exchange ended) {
        long retry = parser.reconnectionTime();
        long base = retry != SseEvent.NO_RETRY ? retry : config.reconnectTime().toMillis();
        boolean healthy = ended.delivered || (ended.openedAt != 0
                && System.nanoTime() - ended.openedAt >= config.backoffResetThreshold().toNanos());
        if (healthy) {
            failures = 0;
        }
        long delay = Backoff.delayMillis(base, failures, config.maxReconnectTime().toMillis(), config.backoffJitter());
        if (!healthy && failures < Integer.MAX_VALUE) {
            failures++;
        }
        return delay;
    }

    private void startWatchdog(Exchange x) {
        long timeout = config.readTimeout().toNanos();
        if (timeout == 0) {
            return;
        }
        x.idleSince = System.nanoTime();
        x.watchdog = SharedResources.scheduler().schedule(x, timeout, TimeUnit.NANOSECONDS);
        if (x.aborted) {
            x.watchdog.cancel(false);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Redirects (fetch "HTTP-redirect fetch"), followed here so credentials can be dropped

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private void redirect(Exchange x, int status, String location) {
        x.abort(); // the redirect's own body is not needed
        if (x.redirects >= EventSourceConfig.MAX_REDIRECTS) {
            fail(new RedirectException("more than " + EventSourceConfig.MAX_REDIRECTS + " redirects in a row (last: "
                    + status + " from " + x.uri + " to " + location + ")"));
            return;
        }
        URI target;
        try {
            target = x.uri.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            fail(new RedirectException("invalid Location: " + location + " (in a " + status + " from " + x.uri + ")"));
            return;
        }
        String scheme = target.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || target.getHost() == null) {
            fail(new RedirectException("Location: " + location + " (expected: an http or https URL; in a "
                    + status + " from " + x.uri + ")"));
            return;
        }
        String method = x.method;
        byte[] body = x.body;
        if (((status == 301 || status == 302) && method.equals("POST"))
                || (status == 303 && !method.equals("GET") && !method.equals("HEAD"))) {
            method = "GET";
            body = null;
        }
        boolean strip = x.stripCredentials || !sameOrigin(x.uri, target);
        boolean bodyDropped = x.bodyDropped || (x.body != null && body == null);
        send(new Exchange.Hop(target, method, body, strip, bodyDropped, x.redirects + 1));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        int port = uri.getPort();
        return port != -1 ? port : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    // ---------------------------------------------------------------------------------------------
    // Requests and responses

    private HttpRequest buildRequest(Exchange.Hop x) {
        HttpRequest.Builder b = HttpRequest.newBuilder(x.uri()).timeout(config.connectTimeout());
        if (x.uri().getScheme().equalsIgnoreCase("http")) {
            b.version(HttpClient.Version.HTTP_1_1); // no h2c upgrade dance on cleartext
        }
        boolean accept = false;
        boolean cacheControl = false;
        boolean contentType = false;
        for (Map.Entry<String, String> header : config.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (x.stripCredentials()
                    && (name.equals("authorization") || name.equals("cookie") || name.equals("proxy-authorization"))) {
                continue;
            }
            if (x.bodyDropped() && name.startsWith("content-")) {
                continue;
            }
            accept |= name.equals("accept");
            cacheControl |= name.equals("cache-control");
            contentType |= name.equals("content-type");
            b.header(header.getKey(), header.getValue());
        }
        if (!accept) {
            b.header("Accept", "text/event-stream");
        }
        if (!cacheControl) {
            b.header("Cache-Control", "no-cache");
        }
        // §9.2.3 reestablish step 5.3: Last-Event-ID, UTF-8 encoded, only if the last event ID is not empty
        String id = parser.lastEventId();
        if (!id.isEmpty()) {
            String value = headerValue(id);
            if (value != null) {
                b.header("Last-Event-ID", value);
            } else {
                LOG.log(System.Logger.Level.WARNING, "last event ID holds a control character and cannot be sent: {0}",
                        id);
            }
        }
        if (x.body() != null) {
            if (!contentType) {
                b.header("Content-Type", EventSourceConfig.DEFAULT_BODY_CONTENT_TYPE);
            }
            b.method(x.method(), HttpRequest.BodyPublishers.ofByteArray(x.body()));
        } else {
            b.method(x.method(), HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    /**
     * The header value whose octets are the UTF-8 encoding of {@code id}, as a string of octets (chars up
     * to U+00FF), which is how the JDK client takes header values. Over HTTP/2 its HPACK encoder writes
     * them as they are; over HTTP/1.1 it would write {@code ?} for each octet above 0x7F, so such requests
     * go through {@link SocketExchange}. Null if it holds a control character, which no header value may
     * carry.
     */
    static String headerValue(String id) {
        String value = new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return null;
            }
        }
        return value;
    }

    /** True if the MIME type essence of {@code contentType} is {@code text/event-stream}. */
    static boolean isEventStream(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return essence.equalsIgnoreCase("text/event-stream");
    }

    private static StreamIOException networkError(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new StreamIOException(cause instanceof IOException ? (IOException) cause : new IOException(cause));
    }

    // ---------------------------------------------------------------------------------------------
    // Parser callbacks (on the serial executor, during onChunk) and listener calls

    @Override
    public void onEvent(SseEvent event) {
        Exchange x = feeding;
        if (x.aborted) {
            return;
        }
        x.delivered = true;
        List<EventHandler> typed = handlers.get(event.type());
        synchronized (this) {
            // §9.2.6 dispatch step 8: only if the readyState is not CLOSED
            if (closedByCaller || x.aborted) {
                return;
            }
            try {
                listener.onEvent(source, event);
            } catch (Throwable t) {
                listenerFailed("onEvent", t);
            }
            if (typed != null) {
                for (int i = 0; i < typed.size(); i++) {
                    if (closedByCaller || x.aborted) {
                        return;
                    }
                    try {
                        typed.get(i).onEvent(source, event);
                    } catch (Throwable t) {
                        listenerFailed("an event handler", t);
                    }
                }
            }
        }
    }

    @Override
    public void onComment(String comment) {
        Exchange x = feeding;
        synchronized (this) {
            if (closedByCaller || x.aborted) {
                return;
            }
            try {
                listener.onComment(source, comment);
            } catch (Throwable t) {
                listenerFailed("onComment", t);
            }
        }
    }

    private void callOnError(EventSourceException error) {
        synchronized (this) {
            if (closedByCaller) {
                return;
            }
            try {
                listener.onError(source, error);
            } catch (Throwable t) {
                listenerFailed("onError", t);
            }
        }
    }

    private static void listenerFailed(String callback, Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
        LOG.log(System.Logger.Level.WARNING, callback + " threw; the event source carries on", t);
    }
}
