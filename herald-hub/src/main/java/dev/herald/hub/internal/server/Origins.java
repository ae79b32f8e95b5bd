package dev.herald.hub.internal.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins (RFC 6454) in their serialized form {@code scheme://host[:port]}: lower-case scheme
 * and host, the port left out when it is the scheme's default. Used to compare a request's
 * {@code Origin} or {@code Referer} with a configured allowlist. Stateless and thread-safe.
 */
final class Origins {

    private Origins() {
    }

    /**
     * The serialized origin of an absolute http(s) URL or origin, or {@code null} when it has none
     * (unparsable, opaque {@code null}, another scheme, no host, user info present).
     */
    static String of(String url) {
        if (url == null || url.isEmpty() || url.length() > 4096) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int defaultPort;
        if (scheme.equals("https")) {
            defaultPort = 443;
        } else if (scheme.equals("http")) {
            defaultPort = 80;
        } else {
            return null;
        }
        int port = uri.getPort();
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (port < 0 || port == defaultPort ? "" : ":" + port);
    }
}
