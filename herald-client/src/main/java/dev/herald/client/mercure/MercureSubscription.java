package dev.herald.client.mercure;

import static java.util.Objects.requireNonNull;

import dev.herald.client.EventSource;
import dev.herald.client.EventSourceConfig;
import dev.herald.client.EventSourceListener;
import dev.herald.client.EventStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription to a Mercure hub: the topic matchers (the {@code match} query parameter for exact
 * topics, {@code match_urlpattern} for URL patterns, {@code match_<type>} for other registered types),
 * the bearer token presented in the {@code Authorization} header, and the last event ID to resume from.
 * It turns into an ordinary {@link EventSourceConfig}, so reconnection, {@code Last-Event-ID} on
 * reconnect, the read timeout and the rest work as for any stream.
 *
 * <pre>{@code
 * MercureSubscription subscription = MercureSubscription.builder(URI.create("https://example.com/.well-known/mercure"))
 *         .match("https://example.com/books/1")
 *         .matchUrlPattern("https://example.com/books/:id")
 *         .bearerToken(token)
 *         .build();
 * EventSource source = subscription.connect(listener);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MercureSubscription {

    /** The matcher type of the bare {@code match} parameter. */
    public static final String EXACT = "exact";

    /** The matcher type of the {@code match_urlpattern} parameter. */
    public static final String URL_PATTERN = "urlpattern";

    private final URI hub;
    private final URI uri;
    private final String bearerToken;
    private final String lastEventId;

    private MercureSubscription(Builder b) {
        this.hub = b.hub;
        this.bearerToken = b.bearerToken;
        this.lastEventId = b.lastEventId;
        StringBuilder query = new StringBuilder();
        if (hub.getRawQuery() != null) {
            query.append(hub.getRawQuery());
        }
        for (String[] matcher : b.matchers) {
            if (query.length() > 0) {
                query.append('&');
            }
            // application/x-www-form-urlencoded, as URLSearchParams writes it (the spec requires it)
            query.append(matcher[0].equals(EXACT) ? "match" : "match_" + matcher[0]).append('=')
                    .append(URLEncoder.encode(matcher[1], StandardCharsets.UTF_8));
        }
        String base = hub.toString();
        int cut = base.indexOf('?') >= 0 ? base.indexOf('?') : base.indexOf('#');
        this.uri = URI.create((cut < 0 ? base : base.substring(0, cut)) + '?' + query);
    }

    /** A builder for a subscription to the hub at {@code hub}. */
    public static Builder builder(URI hub) {
        return new Builder(requireNonNull(hub, "hub"));
    }

    /** The hub URL this subscription was built for. */
    public URI hub() {
        return hub;
    }

    /** The subscription URL: the hub URL with the matcher parameters. */
    public URI uri() {
        return uri;
    }

    /**
     * A configuration builder for this subscription, to adjust (timeouts, executor, ...) before
     * {@link EventSourceConfig.Builder#build()}: URL, {@code Authorization} and initial last event ID set.
     */
    public EventSourceConfig.Builder configBuilder() {
        EventSourceConfig.Builder b = EventSourceConfig.builder(uri).lastEventId(lastEventId);
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        return b;
    }

    /** Connects with the default settings; see {@link EventSource#connect(EventSourceConfig, EventSourceListener)}. */
    public EventSource connect(EventSourceListener listener) {
        return EventSource.connect(configBuilder().build(), listener);
    }

    /** Opens the updates as a blocking stream; see {@link EventStream#open(EventSourceConfig)}. */
    public EventStream open() {
        return EventStream.open(configBuilder().build());
    }

    @Override
    public String toString() {
        return "MercureSubscription{" + uri + (bearerToken != null ? ", bearer token" : "")
                + (lastEventId.isEmpty() ? "" : ", lastEventId=" + lastEventId) + '}';
    }

    /** Builds a {@link MercureSubscription}. Not thread-safe; use one builder per thread. */
    public static final class Builder {
        private final URI hub;
        private final List<String[]> matchers = new ArrayList<>();
        private String bearerToken;
        private String lastEventId = "";

        private Builder(URI hub) {
            this.hub = hub;
        }

        /** Subscribes to the topic {@code topic} exactly (the {@code match} parameter); {@code *} matches all. */
        public Builder match(String topic) {
            return match(EXACT, topic);
        }

        /** Subscribes to the topics matching the URL pattern {@code pattern} ({@code match_urlpattern}). */
        public Builder matchUrlPattern(String pattern) {
            return match(URL_PATTERN, pattern);
        }

        /**
         * Subscribes with a matcher of the registered type {@code type} ({@code match_<type>}, or
         * {@code match} for {@value #EXACT}).
         *
         * @throws IllegalArgumentException if the type is not a lowercase name, or the value holds a control
         *     or format character (the hub would answer 400)
         */
        public Builder match(String type, String value) {
            requireNonNull(type, "type");
            requireNonNull(value, "value");
            if (type.isEmpty() || !type.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_')) {
                throw new IllegalArgumentException("type: " + type + " (expected: a matcher type name such as urlpattern)");
            }
            Checks.checkText("match value", value);
            matchers.add(new String[] {type, value});
            return this;
        }

        /** The access token, sent as {@code Authorization: Bearer <token>}; {@code null} for none (public updates). */
        public Builder bearerToken(String bearerToken) {
            this.bearerToken = Checks.checkBearerToken(bearerToken);
            return this;
        }

        /**
         * The ID of the last update already received (for example from discovery), sent as
         * {@code Last-Event-ID} on the first request so the hub sends what came after it; {@code earliest}
         * asks for all it kept. Default: empty, none.
         */
        public Builder lastEventId(String lastEventId) {
            this.lastEventId = requireNonNull(lastEventId, "lastEventId");
            return this;
        }

        /**
         * The subscription.
         *
         * @throws IllegalStateException if no matcher was added
         */
        public MercureSubscription build() {
            if (matchers.isEmpty()) {
                throw new IllegalStateException("matchers: none (expected: at least one match or matchUrlPattern)");
            }
            return new MercureSubscription(this);
        }
    }
}
