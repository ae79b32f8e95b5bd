package dev.herald.hub.internal.topic.urlpattern;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.topic.url.ComponentCanonicalizer;
import dev.herald.hub.internal.topic.url.WhatwgUrl;
import java.util.List;

/**
 * A URL pattern compiled from a constructor string against a base URL, per the WHATWG URL Pattern
 * Standard ("create" a URL pattern from a string and base URL, §1.3), and matched against parsed
 * URLs ("match", §1.3) with re2j.
 *
 * <p>Mercure specifics (§"URL Pattern"): the base URL is the hub's URL, so relative patterns such
 * as {@code /.well-known/mercure/subscriptions/:topic/:subscriber} take the hub's protocol, host and
 * port; {@code ignoreCase} is never enabled; hosts compare case-insensitively for every scheme (the
 * matched hostname is ASCII-lowercased, a no-op for special schemes).
 *
 * <p>What is supported and what is refused is listed in {@link RegexTranslator} (custom regexp
 * groups) and {@link ComponentCanonicalizer} (canonicalization departures); anything refused throws
 * {@link UrlPatternException} at compile time, so a pattern is never silently matched differently.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class UrlPattern {

    private static final List<String> SPECIAL_SCHEMES = List.of("ftp", "file", "http", "https", "ws", "wss");

    private final Component protocol;
    private final Component username;
    private final Component password;
    private final Component hostname;
    private final Component port;
    private final Component pathname;
    private final Component search;
    private final Component hash;

    private UrlPattern(Component protocol, Component username, Component password, Component hostname,
                       Component port, Component pathname, Component search, Component hash) {
        this.protocol = protocol;
        this.username = username;
        this.password = password;
        this.hostname = hostname;
        this.port = port;
        this.pathname = pathname;
        this.search = search;
        this.hash = hash;
    }

    /**
     * Compiles the constructor string {@code pattern}, resolving a relative pattern against
     * {@code baseUrl}.
     *
     * @throws UrlPatternException if the pattern is malformed, unsupported, or over a limit
     */
    public static UrlPattern compile(String pattern, WhatwgUrl baseUrl) throws UrlPatternException {
        requireNonNull(pattern, "pattern");
        requireNonNull(baseUrl, "baseUrl");
        UrlPatternInit parsed = ConstructorStringParser.parse(pattern);
        // Mercure §"URL Pattern": the hub's URL is the base of *relative* patterns. A pattern with a
        // protocol is absolute and gets no base, as with `new URLPattern(input)`; otherwise the
        // standard would prefix the hub's directory to the path of e.g. "urn\\:uuid\\:*".
        UrlPatternInit init = parsed.protocol == null ? process(parsed, baseUrl) : process(parsed, null);
        if (init.protocol == null) {
            init.protocol = "*";
        }
        if (init.username == null) {
            init.username = "*";
        }
        if (init.password == null) {
            init.password = "*";
        }
        if (init.hostname == null) {
            init.hostname = "*";
        }
        if (init.port == null) {
            init.port = "*";
        }
        if (init.pathname == null) {
            init.pathname = "*";
        }
        if (init.search == null) {
            init.search = "*";
        }
        if (init.hash == null) {
            init.hash = "*";
        }
        if (WhatwgUrl.isSpecialScheme(init.protocol)
                && init.port.equals(Integer.toString(WhatwgUrl.defaultPort(init.protocol)))) {
            init.port = "";
        }
        Component protocol = Component.compile("protocol", init.protocol, Options.DEFAULT,
                ComponentCanonicalizer::protocol);
        Component username = Component.compile("username", init.username, Options.DEFAULT,
                ComponentCanonicalizer::username);
        Component password = Component.compile("password", init.password, Options.DEFAULT,
                ComponentCanonicalizer::password);
        Component hostname = Component.compile("hostname", init.hostname, Options.HOSTNAME,
                isIpv6HostnamePattern(init.hostname) ? ComponentCanonicalizer::ipv6Hostname
                        : ComponentCanonicalizer::hostname);
        Component port = Component.compile("port", init.port, Options.DEFAULT, ComponentCanonicalizer::port);
        Component pathname = matchesSpecialScheme(protocol)
                ? Component.compile("pathname", init.pathname, Options.PATHNAME, ComponentCanonicalizer::pathname)
                : Component.compile("pathname", init.pathname, Options.DEFAULT,
                        ComponentCanonicalizer::opaquePathname);
        Component search = Component.compile("search", init.search, Options.DEFAULT, ComponentCanonicalizer::search);
        Component hash = Component.compile("hash", init.hash, Options.DEFAULT, ComponentCanonicalizer::hash);
        return new UrlPattern(protocol, username, password, hostname, port, pathname, search, hash);
    }

    /** Whether every component of {@code url} matches. */
    public boolean matches(WhatwgUrl url) {
        requireNonNull(url, "url");
        return protocol.matches(url.scheme())
                && hostname.matches(url.host() == null ? "" : ComponentCanonicalizer.lowercaseHost(url.host()))
                && pathname.matches(url.pathname())
                && port.matches(url.port() < 0 ? "" : Integer.toString(url.port()))
                && search.matches(url.query() == null ? "" : url.query())
                && hash.matches(url.fragment() == null ? "" : url.fragment())
                && username.matches(url.username())
                && password.matches(url.password());
    }

    /** Each component's matcher, for tests and diagnostics. */
    String describe() {
        return "protocol=" + protocol.describe() + " username=" + username.describe() + " password="
                + password.describe() + " hostname=" + hostname.describe() + " port=" + port.describe()
                + " pathname=" + pathname.describe() + " search=" + search.describe() + " hash=" + hash.describe();
    }

    /** "protocol component matches a special scheme". */
    static boolean matchesSpecialScheme(Component protocol) {
        for (String scheme : SPECIAL_SCHEMES) {
            if (protocol.matches(scheme)) {
                return true;
            }
        }
        return false;
    }

    /** "hostname pattern is an IPv6 address". */
    private static boolean isIpv6HostnamePattern(String input) {
        if (input.codePointCount(0, input.length()) < 2) {
            return false;
        }
        return input.charAt(0) == '[' || ((input.charAt(0) == '{' || input.charAt(0) == '\\') && input.charAt(1) == '[');
    }

    /**
     * "process a URLPatternInit" with type "pattern" and the base URL: components the pattern does
     * not give are inherited from the base, in URL order, up to the first one it does give; a
     * relative pathname is resolved against the base's directory.
     */
    private static UrlPatternInit process(UrlPatternInit init, WhatwgUrl base) {
        UrlPatternInit result = new UrlPatternInit();
        if (base == null) {
            copyGiven(init, result);
            return result;
        }
        boolean hasProtocol = init.protocol != null;
        boolean hasHostname = init.hostname != null;
        boolean hasPort = init.port != null;
        boolean hasPathname = init.pathname != null;
        boolean hasSearch = init.search != null;
        boolean hasHash = init.hash != null;
        if (!hasProtocol) {
            result.protocol = escapePatternString(base.scheme());
        }
        // username and password are never inherited when constructing a pattern
        if (!hasProtocol && !hasHostname) {
            result.hostname = escapePatternString(base.host() == null ? "" : base.host());
        }
        if (!hasProtocol && !hasHostname && !hasPort) {
            result.port = base.port() < 0 ? "" : Integer.toString(base.port());
        }
        if (!hasProtocol && !hasHostname && !hasPort && !hasPathname) {
            result.pathname = escapePatternString(base.pathname());
        }
        if (!hasProtocol && !hasHostname && !hasPort && !hasPathname && !hasSearch) {
            result.search = escapePatternString(base.query() == null ? "" : base.query());
        }
        if (!hasProtocol && !hasHostname && !hasPort && !hasPathname && !hasSearch && !hasHash) {
            result.hash = escapePatternString(base.fragment() == null ? "" : base.fragment());
        }
        copyGiven(init, result);
        if (hasPathname && !base.hasOpaquePath() && !isAbsolutePathname(result.pathname)) {
            String basePath = escapePatternString(base.pathname());
            int slash = basePath.lastIndexOf('/');
            if (slash >= 0) {
                result.pathname = basePath.substring(0, slash + 1) + result.pathname;
            }
        }
        return result;
    }

    /** The steps of "process a URLPatternInit" copying the components {@code init} gives. */
    private static void copyGiven(UrlPatternInit init, UrlPatternInit result) {
        if (init.protocol != null) {
            result.protocol = init.protocol.endsWith(":")
                    ? init.protocol.substring(0, init.protocol.length() - 1) : init.protocol;
        }
        if (init.username != null) {
            result.username = init.username;
        }
        if (init.password != null) {
            result.password = init.password;
        }
        if (init.hostname != null) {
            result.hostname = init.hostname;
        }
        if (init.port != null) {
            result.port = init.port;
        }
        if (init.pathname != null) {
            result.pathname = init.pathname;
        }
        if (init.search != null) {
            result.search = init.search.startsWith("?") ? init.search.substring(1) : init.search;
        }
        if (init.hash != null) {
            result.hash = init.hash.startsWith("#") ? init.hash.substring(1) : init.hash;
        }
    }

    /** "is an absolute pathname" for a pattern string. */
    private static boolean isAbsolutePathname(String input) {
        if (input.isEmpty()) {
            return false;
        }
        if (input.charAt(0) == '/') {
            return true;
        }
        if (input.length() < 2) {
            return false;
        }
        return (input.charAt(0) == '\\' || input.charAt(0) == '{') && input.charAt(1) == '/';
    }

    /** "escape a pattern string". */
    static String escapePatternString(String input) {
        StringBuilder out = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if ("+*?:{}()\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
