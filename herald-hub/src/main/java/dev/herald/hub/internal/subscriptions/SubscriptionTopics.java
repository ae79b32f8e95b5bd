package dev.herald.hub.internal.subscriptions;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The names of subscriptions (Mercure §"Subscription Events", §"Subscription API"): the topic of a
 * subscription's events, which is also the path of its API resource, is the path of the hub's URL
 * followed by {@code /subscriptions/{match_type}/{match}/{subscriber}}; the collections are
 * {@code /subscriptions} and {@code /subscriptions/{match_type}/{match}}.
 *
 * <p>Each variable is expanded as RFC 6570 simple string expansion does: its UTF-8 bytes, every byte
 * outside the unreserved set ({@code ALPHA DIGIT - . _ ~}) percent-encoded, exactly once, so a
 * {@code %} already in a matcher becomes {@code %25} and a {@code /} becomes {@code %2F}. Request
 * paths are split on {@code /} first and each segment decoded, so a client's own spelling of the
 * escapes does not matter; the canonical spelling is what authorization compares.
 *
 * <p>Immutable and thread-safe.
 */
public final class SubscriptionTopics {

    /** The path segment below the hub's path. */
    static final String SEGMENT = "/subscriptions";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String hubPath;
    private final String collection;

    /** @param hubPath the path of the hub's public URL, without a trailing {@code /} (e.g. {@code /.well-known/mercure}) */
    public SubscriptionTopics(String hubPath) {
        requireNonNull(hubPath, "hubPath");
        if (!hubPath.startsWith("/") || hubPath.endsWith("/")) {
            throw new IllegalArgumentException("hubPath: " + hubPath + " (expected: starts with /, no trailing /)");
        }
        this.hubPath = hubPath;
        this.collection = hubPath + SEGMENT;
    }

    /** The path of the hub's public URL. */
    public String hubPath() {
        return hubPath;
    }

    /** The collection of every subscription: {@code {hub path}/subscriptions}. */
    public String collection() {
        return collection;
    }

    /** The collection of one matcher's subscriptions. */
    public String matcherCollection(String matchType, String match) {
        return collection + '/' + encode(matchType) + '/' + encode(match);
    }

    /** The topic of a subscription's events, and the path of its API resource. */
    public String topic(String matchType, String match, String subscriber) {
        return matcherCollection(matchType, match) + '/' + encode(subscriber);
    }

    /** Whether {@code topic} names one subscription (a cheap prefix test: only the hub publishes there). */
    public boolean isSubscriptionTopic(String topic) {
        return topic.length() > collection.length() && topic.startsWith(collection)
                && topic.charAt(collection.length()) == '/';
    }

    /**
     * What a request path below {@link #collection()} asks for: {@code ""} for everything,
     * {@code "/{match_type}/{match}"} for a matcher's collection, {@code "/{match_type}/{match}/{subscriber}"}
     * for one subscription.
     *
     * @param rest the path after {@link #collection()} (raw, still percent-encoded)
     * @return the query, or empty when {@code rest} is none of these shapes
     * @throws IllegalArgumentException when a segment is not valid percent-encoded UTF-8
     */
    public static Optional<Query> parse(String rest) {
        requireNonNull(rest, "rest");
        if (rest.isEmpty()) {
            return Optional.of(new Query(null, null, null));
        }
        String[] segments = rest.split("/", -1);
        if (!segments[0].isEmpty() || segments.length < 3 || segments.length > 4) {
            return Optional.empty();
        }
        return Optional.of(new Query(decode(segments[1]), decode(segments[2]),
                segments.length == 4 ? decode(segments[3]) : null));
    }

    /**
     * A subscriptions request: every field {@code null} for the whole collection, {@code matchType}
     * and {@code match} for one matcher's collection, and {@code subscriber} too for one subscription.
     */
    public record Query(String matchType, String match, String subscriber) {

        public boolean isEverything() {
            return matchType == null;
        }

        public boolean isOne() {
            return subscriber != null;
        }

        /** The canonical relative URL of the requested document, which is also the topic authorized. */
        public String path(SubscriptionTopics topics) {
            return isEverything() ? topics.collection()
                    : isOne() ? topics.topic(matchType, match, subscriber) : topics.matcherCollection(matchType, match);
        }
    }

    /**
     * RFC 6570 simple expansion of one value: UTF-8, every byte but the unreserved ones percent-encoded
     * (a {@code %} too). The pre-1.0 topics encode their segments the same way.
     */
    public static String encode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes one path segment: every {@code %XX} to its byte, other characters as they are, the
     * bytes then read as UTF-8.
     *
     * @throws IllegalArgumentException on a {@code %} not followed by two hex digits, or bytes that are not UTF-8
     */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new IllegalArgumentException("malformed percent-encoding in the path");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("unencoded non-ASCII character in the path");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoded bytes that are not UTF-8 in the path");
        }
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
