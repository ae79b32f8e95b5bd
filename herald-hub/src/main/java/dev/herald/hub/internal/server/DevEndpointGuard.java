package dev.herald.hub.internal.server;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Guards the web UI's development endpoints (the {@code /ui/api/config} that hands out the
 * development token, the token minter) against DNS rebinding: a hostile site whose name its DNS
 * server re-points at {@code 127.0.0.1} makes the browser treat the hub as part of that site, so
 * its script may read the hub's answers; the one thing it cannot change is the {@code Host} the
 * browser sends, its own name. These endpoints therefore answer only a {@code Host} that is a
 * loopback address ({@code 127.0.0.0/8}, {@code ::1}), {@code localhost} or a {@code .localhost}
 * name (RFC 6761 §6.3: resolved to loopback by the browser itself, never asked of DNS), or the host of
 * the hub's public URL. A {@code POST} with an {@code Origin} must also come from the page's own
 * origin ({@code http(s)://} that {@code Host}, or the public URL's origin); one without (curl, a
 * script) is not a browser's cross-site request.
 *
 * <p>Immutable and thread-safe.
 */
final class DevEndpointGuard {

    private final String publicHost;
    private final String publicOrigin;

    DevEndpointGuard(URI publicUrl) {
        String host = publicUrl.getHost();
        this.publicHost = host == null ? null : bare(host);
        this.publicOrigin = Origins.of(publicUrl.toString());
    }

    /**
     * Why {@code req} must be refused with 403, or {@code null} when it may be answered.
     *
     * @param checkOrigin whether the request changes something ({@code POST}), so a cross-origin
     *                    {@code Origin} refuses it too
     */
    String refusal(FullHttpRequest req, boolean checkOrigin) {
        String hostHeader = req.headers().get(HttpHeaderNames.HOST);
        if (hostHeader == null || hostHeader.isBlank()) {
            return "no Host header: the development endpoints answer only requests naming the hub"
                    + " (DNS rebinding protection, docs/security.md)";
        }
        String host = hostOf(hostHeader.strip());
        if (!isLoopback(host) && !host.equals(publicHost)) {
            return "Host '" + Sanitize.excerpt(hostHeader) + "' is neither a loopback address nor the hub's public host"
                    + (publicHost == null ? "" : " (" + publicHost + ")") + ": the development endpoints answer only"
                    + " those (DNS rebinding protection, docs/security.md); browse the hub at localhost or its --public-url";
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (checkOrigin && origin != null && !sameOrigin(origin, hostHeader.strip())) {
            return "Origin '" + Sanitize.excerpt(origin) + "' is not the hub's own: the development endpoints answer"
                    + " only the hub's pages (CSRF protection, docs/security.md)";
        }
        return null;
    }

    private boolean sameOrigin(String origin, String hostHeader) {
        String o = Origins.of(origin);
        return o != null && (o.equals(publicOrigin) || o.equals(Origins.of("http://" + hostHeader))
                || o.equals(Origins.of("https://" + hostHeader)));
    }

    /** The host of a {@code Host} field ({@code host[:port]}, {@code [v6][:port]}), lower case, brackets removed. */
    static String hostOf(String hostHeader) {
        String h = hostHeader;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else {
            int colon = h.indexOf(':');
            h = colon < 0 ? h : h.substring(0, colon);
        }
        return bare(h);
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h; // "localhost." is "localhost"
    }

    /** Whether {@code host} is loopback by its text alone: an IP literal or a localhost name; never asks DNS. */
    static boolean isLoopback(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(host); // null unless an IP literal
        try {
            return ip != null && InetAddress.getByAddress(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
