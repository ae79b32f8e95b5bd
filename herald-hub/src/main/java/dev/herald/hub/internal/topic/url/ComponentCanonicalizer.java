package dev.herald.hub.internal.topic.url;

import dev.herald.hub.internal.topic.url.PercentEncoding.EncodeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The URL Pattern Standard's encoding callbacks (§3.1 "Encoding callbacks"): each canonicalizes one
 * fixed-text piece of a pattern the way the URL parser canonicalizes the same component of a URL, so
 * that literal pattern text and parsed topics compare equal. Each method throws
 * {@link IllegalArgumentException} with a short reason where the standard throws a TypeError.
 *
 * <p>Departures, all towards refusing rather than mis-matching:
 * <ul>
 *   <li>hostname: host parsing as for a special URL (lowercase, IDNA, IPv4), stopping at {@code /},
 *       {@code ?} or {@code #} like the standard's hostname state; {@code %} is therefore refused.
 *       Mercure requires hosts to compare case-insensitively for every scheme (§"URL Pattern").</li>
 *   <li>port: ASCII digits only (the URL parser's port state would silently stop at the first
 *       non-digit).</li>
 *   <li>opaque pathname: a {@code ?} or {@code #} (only reachable through a {@code {...}} group) is
 *       refused instead of silently starting a query or fragment.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class ComponentCanonicalizer {

    private ComponentCanonicalizer() {
    }

    /** "canonicalize a protocol": the scheme of {@code value + "://dummy.test"}. */
    public static String protocol(String value) {
        if (value.isEmpty()) {
            return value;
        }
        WhatwgUrl url = UrlParser.parse(value + "://dummy.test", null);
        if (url == null) {
            throw new IllegalArgumentException("invalid protocol");
        }
        return url.scheme();
    }

    /** "canonicalize a username": the userinfo percent-encode set. */
    public static String username(String value) {
        return PercentEncoding.encode(stripTabsAndNewlines(value), EncodeSet.USERINFO);
    }

    /** "canonicalize a password": the userinfo percent-encode set. */
    public static String password(String value) {
        return PercentEncoding.encode(stripTabsAndNewlines(value), EncodeSet.USERINFO);
    }

    /** "canonicalize a hostname" (see the class comment for the special-host reading). */
    public static String hostname(String value) {
        if (value.isEmpty()) {
            return value;
        }
        String input = stripTabsAndNewlines(value);
        StringBuilder buffer = new StringBuilder();
        boolean insideBrackets = false;
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (c == ':' && !insideBrackets) {
                throw new IllegalArgumentException("invalid hostname: ':'");
            }
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            if (c == '[') {
                insideBrackets = true;
            } else if (c == ']') {
                insideBrackets = false;
            }
            buffer.append(c);
        }
        if (buffer.length() == 0) {
            throw new IllegalArgumentException("invalid hostname: empty");
        }
        String host = HostParser.parse(buffer.toString(), false);
        if (host == null) {
            throw new IllegalArgumentException("invalid hostname");
        }
        return host;
    }

    /** "canonicalize an IPv6 hostname": hex digits, brackets and colons only, lowercased. */
    public static String ipv6Hostname(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (PercentEncoding.hexValue(c) < 0 && c != '[' && c != ']' && c != ':') {
                throw new IllegalArgumentException("invalid IPv6 hostname");
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /** "canonicalize a port": a decimal integer up to 65535, serialized without leading zeros. */
    public static String port(String value) {
        if (value.isEmpty()) {
            return value;
        }
        int port = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid port");
            }
            port = Math.min(port * 10 + (c - '0'), 65536);
        }
        if (port > 65535) {
            throw new IllegalArgumentException("invalid port: over 65535");
        }
        return Integer.toString(port);
    }

    /**
     * "canonicalize a pathname": the path state of a non-special URL with state override (dot
     * segments resolved, path percent-encode set, {@code ?} and {@code #} encoded), without the
     * leading {@code /} the parser would add to a piece that has none.
     */
    public static String pathname(String value) {
        if (value.isEmpty()) {
            return value;
        }
        boolean leadingSlash = value.charAt(0) == '/';
        String input = stripTabsAndNewlines(leadingSlash ? value : "/-" + value);
        List<String> path = new ArrayList<>();
        StringBuilder buffer = new StringBuilder();
        // path start state consumed the leading '/'; the path state runs on the rest
        int[] cps = input.substring(1).codePoints().toArray();
        for (int i = 0; i <= cps.length; i++) {
            int c = i < cps.length ? cps[i] : -1;
            if (c == -1 || c == '/') {
                String segment = buffer.toString();
                if (UrlParser.isDoubleDotSegment(segment)) {
                    if (!path.isEmpty()) {
                        path.remove(path.size() - 1);
                    }
                    if (c != '/') {
                        path.add("");
                    }
                } else if (UrlParser.isSingleDotSegment(segment) && c != '/') {
                    path.add("");
                } else if (!UrlParser.isSingleDotSegment(segment)) {
                    path.add(segment);
                }
                buffer.setLength(0);
            } else {
                PercentEncoding.append(buffer, c, EncodeSet.PATH);
            }
        }
        StringBuilder result = new StringBuilder();
        for (String segment : path) {
            result.append('/').append(segment);
        }
        return leadingSlash ? result.toString() : result.substring(Math.min(2, result.length()));
    }

    /** "canonicalize an opaque pathname": the C0 control percent-encode set. */
    public static String opaquePathname(String value) {
        String input = stripTabsAndNewlines(value);
        if (input.indexOf('?') >= 0 || input.indexOf('#') >= 0) {
            throw new IllegalArgumentException("'?' or '#' in an opaque pathname");
        }
        return PercentEncoding.encode(input, EncodeSet.C0_CONTROL);
    }

    /** "canonicalize a search": the query percent-encode set of a non-special URL. */
    public static String search(String value) {
        return PercentEncoding.encode(stripTabsAndNewlines(value), EncodeSet.QUERY);
    }

    /** "canonicalize a hash": the fragment percent-encode set. */
    public static String hash(String value) {
        return PercentEncoding.encode(stripTabsAndNewlines(value), EncodeSet.FRAGMENT);
    }

    /** ASCII lowercase, as Mercure compares hosts case-insensitively whatever the scheme. */
    public static String lowercaseHost(String host) {
        return host.toLowerCase(Locale.ROOT);
    }

    private static String stripTabsAndNewlines(String value) {
        if (value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
