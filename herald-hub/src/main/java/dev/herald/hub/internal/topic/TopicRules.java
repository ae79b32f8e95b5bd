package dev.herald.hub.internal.topic;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.url.PercentEncoding;
import dev.herald.hub.internal.topic.url.WhatwgUrl;
import java.util.Optional;

/**
 * The publish-side field rules of Mercure §"Publication", each refusal an
 * {@link InvalidFieldException} the publish handler answers with 400:
 * <ul>
 *   <li>{@code topic}: the character rules of {@link TopicText}; not exactly {@code *} (reserved for
 *       the wildcard, §"Matcher Types"); not in the reserved hub namespace (§"Reserved Hub
 *       Namespace", see {@link #addressesHubNamespace});</li>
 *   <li>{@code id}: the character rules; not starting with {@code #} (hub-generated IDs do); not
 *       {@code earliest} (§"Reconciliation");</li>
 *   <li>{@code type}: the character rules; not {@code mercure} (reserved for hub events);</li>
 *   <li>{@code retry}: one or more ASCII digits.</li>
 * </ul>
 * Length limits (413) are the caller's, as is treating an empty {@code id} as absent if it wishes.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TopicRules {

    /** The event type reserved for hub-generated events. */
    public static final String RESERVED_TYPE = "mercure";
    /** The reconnection cursor value an update ID may not take. */
    public static final String RESERVED_ID = "earliest";

    private final WhatwgUrl hubUrl;
    private final String hubPath;

    private TopicRules(WhatwgUrl hubUrl, String hubPath) {
        this.hubUrl = hubUrl;
        this.hubPath = hubPath;
    }

    /**
     * Rules for the hub at {@code hubUrl} (absolute, e.g. {@code https://example.com/.well-known/mercure}).
     *
     * @throws IllegalArgumentException if {@code hubUrl} is not an absolute URL with a path other than {@code /}
     */
    public static TopicRules of(String hubUrl) {
        requireNonNull(hubUrl, "hubUrl");
        WhatwgUrl url = WhatwgUrl.parse(hubUrl)
                .orElseThrow(() -> new IllegalArgumentException("hubUrl: " + hubUrl + " (expected: an absolute URL)"));
        String path = normalizePath(url.pathname());
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith("/")) {
            // an empty or opaque path would reserve every topic, or none
            throw new IllegalArgumentException("hubUrl: " + hubUrl + " (expected: a path below /)");
        }
        return new TopicRules(url, path);
    }

    /** The normalized path of the hub's URL, without a trailing {@code /}: the reserved namespace's root. */
    public String hubPath() {
        return hubPath;
    }

    /** Checks a {@code topic} field value (canonical or alternate). */
    public void checkTopic(String topic) throws InvalidFieldException {
        requireNonNull(topic, "topic");
        checkCharacters("topic", topic);
        if (topic.equals(WildcardMatcher.VALUE)) {
            throw new InvalidFieldException("topic", "\"*\" is reserved for the wildcard matcher");
        }
        if (addressesHubNamespace(topic)) {
            throw new InvalidFieldException("topic", "addresses the reserved hub namespace " + hubPath);
        }
    }

    /**
     * Whether {@code topic} addresses the reserved hub namespace: resolved against the hub's URL with
     * the WHATWG URL parser (which removes dot-segments, including encoded ones like {@code %2e}),
     * with percent-encoded unreserved characters then decoded (RFC 3986 §2.3), its path equals the
     * hub's path or starts with it followed by {@code /} — whatever its scheme and authority, so
     * {@code https://hub.example.com/.well-known/mercure/x}, {@code /.well-known/%6Dercure/x} and
     * {@code /.well-known/mercure/../mercure/x} are all reserved, while
     * {@code /.well-known/mercurex} is not. A topic that is not a URL reference is not reserved.
     */
    public boolean addressesHubNamespace(String topic) {
        requireNonNull(topic, "topic");
        Optional<WhatwgUrl> url = WhatwgUrl.parse(topic, hubUrl);
        if (url.isEmpty()) {
            return false;
        }
        String path = normalizePath(url.get().pathname());
        return path.equals(hubPath) || (path.startsWith(hubPath) && path.length() > hubPath.length()
                && path.charAt(hubPath.length()) == '/');
    }

    /** Checks an {@code id} field value. */
    public static void checkId(String id) throws InvalidFieldException {
        requireNonNull(id, "id");
        checkCharacters("id", id);
        if (id.startsWith("#")) {
            throw new InvalidFieldException("id", "must not start with '#' (reserved for hub-generated IDs)");
        }
        if (id.equals(RESERVED_ID)) {
            throw new InvalidFieldException("id", "\"" + RESERVED_ID + "\" is reserved");
        }
    }

    /** Checks a {@code type} field value. */
    public static void checkType(String type) throws InvalidFieldException {
        requireNonNull(type, "type");
        checkCharacters("type", type);
        if (type.equals(RESERVED_TYPE)) {
            throw new InvalidFieldException("type", "\"" + RESERVED_TYPE + "\" is reserved for hub events");
        }
    }

    /**
     * The reconnection time of a {@code retry} field value, in milliseconds; values beyond
     * {@link Long#MAX_VALUE} saturate.
     *
     * @throws InvalidFieldException if the value is empty or has a character other than ASCII digits
     */
    public static long parseRetry(String retry) throws InvalidFieldException {
        requireNonNull(retry, "retry");
        if (retry.isEmpty()) {
            throw new InvalidFieldException("retry", "empty (expected: ASCII digits)");
        }
        long value = 0;
        for (int i = 0; i < retry.length(); i++) {
            char c = retry.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidFieldException("retry", "not a decimal number (expected: ASCII digits only)");
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }

    private static void checkCharacters(String field, String value) throws InvalidFieldException {
        Optional<String> violation = TopicText.violation(value);
        if (violation.isPresent()) {
            throw new InvalidFieldException(field, violation.get());
        }
    }

    /** Decodes percent-encoded unreserved characters (ALPHA / DIGIT / - . _ ~); other octets stay encoded. */
    static String normalizePath(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                int hi = PercentEncoding.hexValue(path.charAt(i + 1));
                int lo = PercentEncoding.hexValue(path.charAt(i + 2));
                if (hi >= 0 && lo >= 0 && isUnreserved((char) (hi * 16 + lo))) {
                    out.append((char) (hi * 16 + lo));
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
