package dev.herald.hub;

import java.net.URI;
import java.util.Set;

/**
 * Creates {@link UpdateTransport}s for the URI schemes it knows. The hub finds providers with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.herald.hub.UpdateTransportProvider}
 * entry), so a transport module on the class path is all it takes: {@code herald-redis} handles
 * {@code redis://}, {@code rediss://} and {@code redis-sentinel://}.
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface UpdateTransportProvider {

    /** The URI schemes handled, in lower case (e.g. {@code redis}). */
    Set<String> schemes();

    /**
     * A transport for {@code uri}, not yet connected.
     *
     * @param config the hub's configuration: the shared history keeps what its {@code historyMax…}
     *        settings say
     * @throws IllegalArgumentException if {@code uri} is malformed for this scheme (the message says how)
     */
    UpdateTransport create(URI uri, HubConfig config);
}
