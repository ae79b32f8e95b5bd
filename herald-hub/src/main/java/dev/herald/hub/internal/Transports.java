package dev.herald.hub.internal;

import dev.herald.hub.HubConfig;
import dev.herald.hub.HubStartException;
import dev.herald.hub.UpdateTransport;
import dev.herald.hub.UpdateTransportProvider;
import java.net.URI;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the {@link UpdateTransport} a hub is configured with: the embedding program's instance, or
 * one created for {@link HubConfig#transportUri()} by the {@link UpdateTransportProvider} on the
 * class path that handles its scheme. Stateless and thread-safe.
 */
final class Transports {

    private Transports() {
    }

    /** The configured transport, or {@code null} for a hub of its own. */
    static UpdateTransport of(HubConfig config) {
        if (config.transport() != null) {
            return config.transport();
        }
        URI uri = config.transportUri();
        if (uri == null) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        TreeSet<String> known = new TreeSet<>();
        for (UpdateTransportProvider p : ServiceLoader.load(UpdateTransportProvider.class,
                Transports.class.getClassLoader())) {
            if (p.schemes().contains(scheme)) {
                try {
                    return p.create(uri, config);
                } catch (IllegalArgumentException e) {
                    throw new HubStartException("transport: " + e.getMessage(), e);
                }
            }
            known.addAll(p.schemes());
        }
        throw new HubStartException("transport: no transport for '" + scheme + ":' URIs" + (known.isEmpty()
                ? " (none on the class path: add herald-redis for redis://, rediss:// and redis-sentinel://)"
                : " (expected one of: " + String.join(", ", known) + ")"), null);
    }
}
