package dev.herald.benchmarks.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The kind of server under load: where subscribers connect, where updates are published, and in
 * which format. Stateless and thread-safe.
 */
enum Target {

    /**
     * A Mercure hub (Herald): {@code GET <url>?match=<topic>} (an exact-topic matcher) to subscribe, {@code POST <url>} with
     * the form {@code topic=...&data=...} and a bearer token to publish.
     */
    HERALD("http://127.0.0.1:8080/.well-known/mercure", "https://bench.herald.dev/fanout"),

    /**
     * Nchan: {@code GET <url>/sub/<channel>} (an {@code nchan_subscriber} location answering
     * EventSource) to subscribe, {@code POST <url>/pub/<channel>} (an {@code nchan_publisher}
     * location) with the data as the body to publish.
     */
    NCHAN("http://127.0.0.1:8081", "bench");

    private final String defaultUrl;
    private final String defaultTopic;

    Target(String defaultUrl, String defaultTopic) {
        this.defaultUrl = defaultUrl;
        this.defaultTopic = defaultTopic;
    }

    /** The URL used when none is given. */
    String defaultUrl() {
        return defaultUrl;
    }

    /** The topic (Herald) or channel (Nchan) used when none is given. */
    String defaultTopic() {
        return defaultTopic;
    }

    /** The event stream to subscribe to. */
    URI subscribeUri(URI base, String topic) {
        return switch (this) {
            case HERALD -> URI.create(base + (base.getRawQuery() == null ? "?" : "&") + "match=" + encode(topic));
            case NCHAN -> URI.create(stripSlash(base) + "/sub/" + encode(topic));
        };
    }

    /** Where updates are published. */
    URI publishUri(URI base, String topic) {
        return switch (this) {
            case HERALD -> base;
            case NCHAN -> URI.create(stripSlash(base) + "/pub/" + encode(topic));
        };
    }

    /** The request body publishing {@code data}. */
    String publishBody(String topic, String data) {
        return switch (this) {
            case HERALD -> "topic=" + encode(topic) + "&data=" + encode(data);
            case NCHAN -> data;
        };
    }

    /** The {@code Content-Type} of {@link #publishBody}. */
    String publishContentType() {
        return switch (this) {
            case HERALD -> "application/x-www-form-urlencoded";
            case NCHAN -> "application/json";
        };
    }

    /** Whether publishing needs a bearer token. */
    boolean needsToken() {
        return this == HERALD;
    }

    private static String stripSlash(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
