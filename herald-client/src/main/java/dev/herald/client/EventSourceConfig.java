package dev.herald.client;

import static java.util.Objects.requireNonNull;

import dev.herald.client.internal.SharedResources;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What an {@link EventSource} connects to and how it behaves: the request (URL, method, body, headers,
 * initial {@code Last-Event-ID}), reconnection (initial time, backoff with jitter, its ceiling and
 * reset), the read timeout watchdog, the largest event accepted, and the HTTP client and callback
 * executor to use. Made by {@link #builder(URI)}; every setting has a default, listed as a
 * {@code DEFAULT_} constant of this class.
 *
 * <p>Reconnection (WHATWG HTML §9.2.3 "reestablish the connection"): after a connection ends or breaks,
 * the client waits the reconnection time (the latest {@code retry} field of the stream, else
 * {@link Builder#reconnectTime(Duration)}) and reconnects. When attempts keep failing, the wait grows:
 * the <i>n</i>-th failure in a row waits up to {@code reconnectTime × 2^(n-1)}, capped at
 * {@link Builder#maxReconnectTime(Duration)}, minus a random part of up to
 * {@link Builder#backoffJitter(double)} of that (so many clients do not reconnect in step), but never
 * less than the reconnection time itself. An attempt counts as a failure unless it dispatched at least
 * one event or stayed open for {@link Builder#backoffResetThreshold(Duration)}; a successful attempt
 * resets the series, so its reconnect waits the plain reconnection time again.
 *
 * <p>Instances are immutable and thread-safe (the body is copied in and out).
 */
public final class EventSourceConfig {

    /** Default {@link Builder#reconnectTime(Duration)}: 3 seconds, until the stream sends {@code retry}. */
    public static final Duration DEFAULT_RECONNECT_TIME = Duration.ofSeconds(3);

    /** Default {@link Builder#maxReconnectTime(Duration)}, the ceiling of the backoff: 30 seconds. */
    public static final Duration DEFAULT_MAX_RECONNECT_TIME = Duration.ofSeconds(30);

    /** Default {@link Builder#backoffJitter(double)}: 0.5, a random part of up to half of each backoff wait. */
    public static final double DEFAULT_BACKOFF_JITTER = 0.5;

    /** Default {@link Builder#backoffResetThreshold(Duration)}: 60 seconds open count as healthy. */
    public static final Duration DEFAULT_BACKOFF_RESET_THRESHOLD = Duration.ofSeconds(60);

    /** Default {@link Builder#readTimeout(Duration)}: 5 minutes without a byte drop the connection. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(5);

    /** Default {@link Builder#connectTimeout(Duration)}: 10 seconds to connect and receive the response headers. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Default {@link Builder#maxEventSize(int)}: 4 MiB (4194304 bytes) for one event's lines and data. */
    public static final int DEFAULT_MAX_EVENT_SIZE = 4 * 1024 * 1024;

    /** Default {@link Builder#method(String)}: {@code GET}, as the browser's {@code EventSource} uses. */
    public static final String DEFAULT_METHOD = "GET";

    /** Default {@code Content-Type} of a request body when no such header is set: {@code text/plain; charset=utf-8}. */
    public static final String DEFAULT_BODY_CONTENT_TYPE = "text/plain; charset=utf-8";

    /**
     * The most redirects followed in a row within one connection attempt: 20, as in fetch's "HTTP-redirect
     * fetch". One more is a {@link RedirectException}. Not configurable.
     */
    public static final int MAX_REDIRECTS = 20;

    /** Header names the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
            "upgrade");

    private final URI uri;
    private final String method;
    private final byte[] body;
    private final List<Map.Entry<String, String>> headers;
    private final String lastEventId;
    private final Duration reconnectTime;
    private final Duration maxReconnectTime;
    private final double backoffJitter;
    private final Duration backoffResetThreshold;
    private final Duration readTimeout;
    private final Duration connectTimeout;
    private final int maxEventSize;
    private final HttpClient httpClient;
    private final Executor callbackExecutor;

    private EventSourceConfig(Builder b) {
        this.uri = b.uri;
        this.method = b.method;
        this.body = b.body;
        this.headers = Collections.unmodifiableList(new ArrayList<>(b.headers));
        this.lastEventId = b.lastEventId;
        this.reconnectTime = b.reconnectTime;
        this.maxReconnectTime = b.maxReconnectTime;
        this.backoffJitter = b.backoffJitter;
        this.backoffResetThreshold = b.backoffResetThreshold;
        this.readTimeout = b.readTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxEventSize = b.maxEventSize;
        this.httpClient = b.httpClient;
        this.callbackExecutor = b.callbackExecutor;
    }

    /** A builder for a stream at {@code uri}, an absolute {@code http} or {@code https} URL. */
    public static Builder builder(URI uri) {
        return new Builder().uri(uri);
    }

    /** A builder for a stream at {@code uri}, an absolute {@code http} or {@code https} URL. */
    public static Builder builder(String uri) {
        return builder(URI.create(requireNonNull(uri, "uri")));
    }

    /** A builder holding this configuration's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.uri = uri;
        b.method = method;
        b.body = body;
        b.headers.addAll(headers);
        b.lastEventId = lastEventId;
        b.reconnectTime = reconnectTime;
        b.maxReconnectTime = maxReconnectTime;
        b.backoffJitter = backoffJitter;
        b.backoffResetThreshold = backoffResetThreshold;
        b.readTimeout = readTimeout;
        b.connectTimeout = connectTimeout;
        b.maxEventSize = maxEventSize;
        b.httpClient = httpClient;
        b.callbackExecutor = callbackExecutor;
        return b;
    }

    /** The stream's URL. Reconnects always start from it, whatever redirects an earlier attempt followed. */
    public URI uri() {
        return uri;
    }

    /** The request method. */
    public String method() {
        return method;
    }

    /** A copy of the request body, or {@code null} when the request has none. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The extra request headers, in the order they were added. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The {@code Last-Event-ID} of the first request; empty for none. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The reconnection time used until the stream sends a {@code retry} field. */
    public Duration reconnectTime() {
        return reconnectTime;
    }

    /** The ceiling of the backoff wait. */
    public Duration maxReconnectTime() {
        return maxReconnectTime;
    }

    /** The largest share of a backoff wait that is randomised, from 0 to 1. */
    public double backoffJitter() {
        return backoffJitter;
    }

    /** How long a connection must stay open to count as healthy and reset the backoff. */
    public Duration backoffResetThreshold() {
        return backoffResetThreshold;
    }

    /** How long the client waits for a byte on an open connection before dropping it; zero means forever. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** How long an attempt may take to connect and receive the response headers. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The most bytes one event (its pending line plus its data) may hold. */
    public int maxEventSize() {
        return maxEventSize;
    }

    /** The HTTP client: the one configured, else one shared by every event source that has none. */
    public HttpClient httpClient() {
        return httpClient != null ? httpClient : SharedResources.httpClient();
    }

    /** The executor callbacks run on: the one configured, else a pool shared by every event source. */
    public Executor callbackExecutor() {
        return callbackExecutor != null ? callbackExecutor : SharedResources.callbackExecutor();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EventSourceConfig{").append(method).append(' ').append(uri);
        if (!headers.isEmpty()) {
            sb.append(", headers=[");
            for (int i = 0; i < headers.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(headers.get(i).getKey()); // values may be secrets
            }
            sb.append(']');
        }
        if (body != null) {
            sb.append(", body=").append(body.length).append(" bytes");
        }
        if (!lastEventId.isEmpty()) {
            sb.append(", lastEventId=").append(lastEventId);
        }
        return sb.append(", reconnectTime=").append(reconnectTime)
                .append(", maxReconnectTime=").append(maxReconnectTime)
                .append(", backoffJitter=").append(backoffJitter)
                .append(", backoffResetThreshold=").append(backoffResetThreshold)
                .append(", readTimeout=").append(readTimeout)
                .append(", connectTimeout=").append(connectTimeout)
                .append(", maxEventSize=").append(maxEventSize)
                .append('}').toString();
    }

    /** Builds an {@link EventSourceConfig}. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private URI uri;
        private String method = DEFAULT_METHOD;
        private byte[] body;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private String lastEventId = "";
        private Duration reconnectTime = DEFAULT_RECONNECT_TIME;
        private Duration maxReconnectTime = DEFAULT_MAX_RECONNECT_TIME;
        private double backoffJitter = DEFAULT_BACKOFF_JITTER;
        private Duration backoffResetThreshold = DEFAULT_BACKOFF_RESET_THRESHOLD;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxEventSize = DEFAULT_MAX_EVENT_SIZE;
        private HttpClient httpClient;
        private Executor callbackExecutor;

        private Builder() {
        }

        /** The stream's URL: absolute, {@code http} or {@code https}, with a host. */
        public Builder uri(URI uri) {
            requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("uri: " + uri + " (expected: an absolute http or https URL)");
            }
            this.uri = uri;
            return this;
        }

        /**
         * Adds a request header, sent on every request (a second call with the same name adds another
         * value). {@code Accept: text/event-stream} and {@code Cache-Control: no-cache} are sent unless set
         * here. {@code Authorization}, {@code Cookie} and {@code Proxy-Authorization} are dropped when a
         * redirect leads to another origin. {@code Last-Event-ID} is managed by the client (see
         * {@link #lastEventId(String)}); {@code Connection}, {@code Content-Length}, {@code Expect},
         * {@code Host} and {@code Upgrade} belong to the HTTP client.
         *
         * @throws IllegalArgumentException if the name is not an HTTP token or is one of those, or the value
         *     holds a line break, NUL or another control character, or a character above U+00FF
         */
        public Builder header(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            checkHeaderName(name);
            checkHeaderValue(name, value);
            headers.add(new SimpleImmutableEntry<>(name, value));
            return this;
        }

        /** Adds every header of {@code headers}, as {@link #header(String, String)} does. */
        public Builder headers(Map<String, String> headers) {
            requireNonNull(headers, "headers").forEach(this::header);
            return this;
        }

        /**
         * The {@code Last-Event-ID} sent on the first request, as if an earlier connection had received an
         * event with that {@code id} (the value events report until the stream sends an {@code id}).
         * Default: empty, meaning no header. An id containing U+0000 NULL is ignored, like an {@code id}
         * field with one (§9.2.6).
         */
        public Builder lastEventId(String lastEventId) {
            requireNonNull(lastEventId, "lastEventId");
            this.lastEventId = lastEventId.indexOf('\0') >= 0 ? "" : lastEventId;
            return this;
        }

        /**
         * The request method, {@value #DEFAULT_METHOD} by default; {@code POST} or {@code QUERY} carry a
         * {@link #body(byte[])}. Reconnects repeat the same method and body.
         */
        public Builder method(String method) {
            requireNonNull(method, "method");
            if (method.isEmpty() || !isToken(method)) {
                throw new IllegalArgumentException("method: " + method + " (expected: an HTTP token such as POST)");
            }
            this.method = method;
            return this;
        }

        /**
         * The request body, sent on every request; {@code null} for none. Needs a method other than
         * {@code GET} and {@code HEAD}. Its type is the {@code Content-Type} header if one was added, else
         * {@value EventSourceConfig#DEFAULT_BODY_CONTENT_TYPE}.
         */
        public Builder body(byte[] body) {
            this.body = body == null ? null : body.clone();
            return this;
        }

        /** The request body as UTF-8 text; see {@link #body(byte[])}. */
        public Builder body(String body) {
            return body(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * The reconnection time until the stream sets one with a {@code retry} field; zero reconnects at
         * once. Default {@link EventSourceConfig#DEFAULT_RECONNECT_TIME}.
         */
        public Builder reconnectTime(Duration reconnectTime) {
            this.reconnectTime = checkNotNegative("reconnectTime", reconnectTime);
            return this;
        }

        /**
         * The ceiling of the backoff wait after repeated failures. A {@code retry} above it is still
         * honoured: the client never waits less than the reconnection time. Default
         * {@link EventSourceConfig#DEFAULT_MAX_RECONNECT_TIME}.
         */
        public Builder maxReconnectTime(Duration maxReconnectTime) {
            this.maxReconnectTime = checkNotNegative("maxReconnectTime", maxReconnectTime);
            return this;
        }

        /**
         * The largest share of a backoff wait that is randomised, from 0 (none: waits double exactly) to 1.
         * Default {@value EventSourceConfig#DEFAULT_BACKOFF_JITTER}.
         */
        public Builder backoffJitter(double backoffJitter) {
            if (!(backoffJitter >= 0 && backoffJitter <= 1)) {
                throw new IllegalArgumentException("backoffJitter: " + backoffJitter + " (expected: >= 0 and <= 1)");
            }
            this.backoffJitter = backoffJitter;
            return this;
        }

        /**
         * How long a connection must stay open to count as healthy, which resets the backoff even if it
         * dispatched no event. Default {@link EventSourceConfig#DEFAULT_BACKOFF_RESET_THRESHOLD}.
         */
        public Builder backoffResetThreshold(Duration backoffResetThreshold) {
            this.backoffResetThreshold = checkNotNegative("backoffResetThreshold", backoffResetThreshold);
            return this;
        }

        /**
         * How long the client waits for the next byte of an open stream before it drops the connection
         * and reconnects with a {@link ReadTimeoutException}; zero waits forever. The JDK client has no
         * such timeout once the headers arrived, so a silently dead connection would otherwise hang for
         * good. Time spent in callbacks does not count. Default
         * {@link EventSourceConfig#DEFAULT_READ_TIMEOUT}.
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = checkNotNegative("readTimeout", readTimeout);
            return this;
        }

        /**
         * How long an attempt may take from sending the request until the response headers arrive,
         * connecting included; past it the attempt fails with a {@link StreamIOException} and the client
         * reconnects. Default {@link EventSourceConfig#DEFAULT_CONNECT_TIMEOUT}.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * The most bytes one event may hold while it is parsed (its pending line plus its data); a larger
         * one drops the connection with an {@link EventTooLargeException}. Default
         * {@value EventSourceConfig#DEFAULT_MAX_EVENT_SIZE}.
         */
        public Builder maxEventSize(int maxEventSize) {
            if (maxEventSize <= 0) {
                throw new IllegalArgumentException("maxEventSize: " + maxEventSize + " (expected: > 0)");
            }
            this.maxEventSize = maxEventSize;
            return this;
        }

        /**
         * The HTTP client to use; {@code null} (the default) shares one client between all event sources.
         * It should not follow redirects itself ({@link HttpClient.Redirect#NEVER}, the JDK default): the
         * event source follows them, dropping credentials on a change of origin.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /**
         * The executor that runs callbacks and parsing; {@code null} (the default) shares a pool of daemon
         * threads, created on demand and ended when idle, between all event sources. Callbacks of one event
         * source run one at a time whatever the executor.
         */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = callbackExecutor;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException if no URL was set, or a body was set with {@code GET} or {@code HEAD}
         */
        public EventSourceConfig build() {
            if (uri == null) {
                throw new IllegalStateException("uri: not set");
            }
            if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
                throw new IllegalStateException("body: not allowed with method " + method
                        + " (expected: a method such as POST or QUERY)");
            }
            return new EventSourceConfig(this);
        }

        private static Duration checkNotNegative(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
            }
            return value;
        }

        private static void checkHeaderName(String name) {
            if (name.isEmpty() || !isToken(name)) {
                throw new IllegalArgumentException("header name: \"" + name + "\" (expected: an HTTP token)");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESTRICTED_HEADERS.contains(lower)) {
                throw new IllegalArgumentException("header name: " + name + " (set by the HTTP client itself)");
            }
            if (lower.equals("last-event-id")) {
                throw new IllegalArgumentException("header name: " + name + " (use lastEventId(String) instead)");
            }
        }

        private static void checkHeaderValue(String name, String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c != '\t' && (c < 0x20 || c == 0x7F || c > 0xFF)) {
                    throw new IllegalArgumentException("header " + name + ": character U+"
                            + String.format("%04X", (int) c) + " at index " + i
                            + " (expected: visible ASCII, space, tab or U+0080..U+00FF)");
                }
            }
        }

        private static boolean isToken(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }
}
