package dev.herald.hub.internal.topic.url;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A URL record as produced by the WHATWG URL Standard's basic URL parser (§4.1 "URL representation",
 * §4.4 "URL parsing"). Mercure resolves topics and relative URL patterns against the hub's URL with
 * this parser (§"URL Pattern", §"Publication"), so the component values here are exactly what URL
 * Pattern matching sees: scheme lowercased, host canonicalized (lowercase, IDNA, IPv4/IPv6
 * serialized), default port dropped, dot-segments removed, non-ASCII and unsafe characters
 * percent-encoded.
 *
 * <p>{@link HostParser} documents where domain-to-ASCII approximates UTS #46. The parser handles no
 * "state override" (setters) and no encodings other than UTF-8 for the query.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class WhatwgUrl {

    private static final Map<String, Integer> SPECIAL_SCHEMES = Map.of(
            "ftp", 21, "file", -1, "http", 80, "https", 443, "ws", 80, "wss", 443);

    private final String scheme;
    private final String username;
    private final String password;
    private final String host;
    private final int port;
    private final List<String> path;
    private final String opaquePath;
    private final String query;
    private final String fragment;

    WhatwgUrl(String scheme, String username, String password, String host, int port, List<String> path,
              String opaquePath, String query, String fragment) {
        this.scheme = scheme;
        this.username = username;
        this.password = password;
        this.host = host;
        this.port = port;
        this.path = path == null ? null : List.copyOf(path);
        this.opaquePath = opaquePath;
        this.query = query;
        this.fragment = fragment;
    }

    /** Parses an absolute URL; empty when the input is not one. */
    public static Optional<WhatwgUrl> parse(String input) {
        return Optional.ofNullable(UrlParser.parse(requireNonNull(input, "input"), null));
    }

    /** Parses {@code input} (absolute or relative) against {@code base}; empty on failure. */
    public static Optional<WhatwgUrl> parse(String input, WhatwgUrl base) {
        return Optional.ofNullable(UrlParser.parse(requireNonNull(input, "input"), requireNonNull(base, "base")));
    }

    /** Whether {@code scheme} is one of the six special schemes (ftp, file, http, https, ws, wss). */
    public static boolean isSpecialScheme(String scheme) {
        return SPECIAL_SCHEMES.containsKey(scheme);
    }

    /** The default port of a special scheme, or -1 (unknown scheme or {@code file}). */
    public static int defaultPort(String scheme) {
        return SPECIAL_SCHEMES.getOrDefault(scheme, -1);
    }

    /** The scheme, lowercase, without the trailing {@code :}. */
    public String scheme() {
        return scheme;
    }

    /** The username, percent-encoded; empty when absent. */
    public String username() {
        return username;
    }

    /** The password, percent-encoded; empty when absent. */
    public String password() {
        return password;
    }

    /** The serialized host, or {@code null} when the URL has none (for example {@code urn:x}). */
    public String host() {
        return host;
    }

    /** The port, or -1 when absent or equal to the scheme's default port. */
    public int port() {
        return port;
    }

    /** Whether the path is opaque (a non-special URL without {@code /} after the scheme). */
    public boolean hasOpaquePath() {
        return opaquePath != null;
    }

    /** Whether the scheme is special. */
    public boolean isSpecial() {
        return isSpecialScheme(scheme);
    }

    /** The URL path serialized (§4.5 "URL path serializer"): the {@code pathname} URL Pattern matches. */
    public String pathname() {
        if (opaquePath != null) {
            return opaquePath;
        }
        StringBuilder out = new StringBuilder();
        for (String segment : path) {
            out.append('/').append(segment);
        }
        return out.toString();
    }

    /** The path segments; empty for an opaque path. */
    List<String> pathSegments() {
        return path == null ? List.of() : path;
    }

    /** The query without {@code ?}, or {@code null} when absent. */
    public String query() {
        return query;
    }

    /** The fragment without {@code #}, or {@code null} when absent. */
    public String fragment() {
        return fragment;
    }

    /** The URL serializer's output (§4.5). */
    public String href() {
        StringBuilder out = new StringBuilder(scheme).append(':');
        if (host != null) {
            out.append("//");
            if (!username.isEmpty() || !password.isEmpty()) {
                out.append(username);
                if (!password.isEmpty()) {
                    out.append(':').append(password);
                }
                out.append('@');
            }
            out.append(host);
            if (port >= 0) {
                out.append(':').append(port);
            }
        } else if (opaquePath == null && path.size() > 1 && path.get(0).isEmpty()) {
            out.append("/.");
        }
        out.append(pathname());
        if (query != null) {
            out.append('?').append(query);
        }
        if (fragment != null) {
            out.append('#').append(fragment);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WhatwgUrl && ((WhatwgUrl) o).href().equals(href());
    }

    @Override
    public int hashCode() {
        return href().hashCode();
    }

    @Override
    public String toString() {
        return href();
    }
}
