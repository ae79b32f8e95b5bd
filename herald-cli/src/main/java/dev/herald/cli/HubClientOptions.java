package dev.herald.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * The options {@code herald publish} and {@code herald subscribe} share: where the hub is and the
 * token to present. Not thread-safe; picocli fills one per invocation.
 */
final class HubClientOptions {

    /** The hub a client command talks to when neither {@code --hub} nor {@code HERALD_HUB_URL} says otherwise. */
    static final String DEFAULT_HUB = "http://localhost:8080" + dev.herald.hub.HubConfig.DEFAULT_HUB_PATH;

    @Option(names = "--hub", paramLabel = "URL", defaultValue = "${env:HERALD_HUB_URL:-" + DEFAULT_HUB + "}",
            description = "The hub's URL; a URL without a path gets /.well-known/mercure (env HERALD_HUB_URL, "
                    + "default: ${DEFAULT-VALUE}).")
    String hub;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:HERALD_TOKEN}",
            description = "Access token (JWT) to present, or @FILE to read it from a file (env HERALD_TOKEN, "
                    + "which keeps it out of the process list).")
    String token;

    /** The hub endpoint. */
    URI hubUrl() {
        URI uri;
        try {
            uri = new URI(hub.trim());
        } catch (URISyntaxException e) {
            throw new ConfigurationException("--hub: '" + hub + "' is not a URL: " + e.getReason());
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigurationException("--hub: '" + hub + "' is not an http(s) URL (e.g. " + DEFAULT_HUB + ")");
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            uri = uri.resolve(dev.herald.hub.HubConfig.DEFAULT_HUB_PATH);
        }
        return uri;
    }

    /** The token, read from its file when given as {@code @FILE}; {@code null} when none. */
    String token() {
        if (token == null || token.isBlank()) {
            return null;
        }
        String t = KeyOptions.key(token.trim(), "--token").trim();
        if (t.isEmpty()) {
            throw new ConfigurationException("--token: the file " + token.substring(1) + " is empty");
        }
        return t;
    }
}
