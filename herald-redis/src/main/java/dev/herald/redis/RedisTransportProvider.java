package dev.herald.redis;

import dev.herald.hub.HubConfig;
import dev.herald.hub.UpdateTransport;
import dev.herald.hub.UpdateTransportProvider;
import dev.herald.redis.internal.RedisSettings;
import dev.herald.redis.internal.RedisTransport;
import java.net.URI;
import java.util.Set;

/**
 * Several hubs as one over Redis Streams: the {@link UpdateTransportProvider} for {@code redis://},
 * {@code rediss://} (TLS) and {@code redis-sentinel://} URIs, in Lettuce's syntax
 * ({@code redis://[user:password@]host[:port][/db]},
 * {@code redis-sentinel://host[:port][,host2[:port2]][/db]#masterId}). The query parameter
 * {@code prefix} (default {@value RedisSettings#DEFAULT_PREFIX}) starts every key, so several hub
 * clusters can share one Redis. Found by the hub through {@link java.util.ServiceLoader}:
 * {@code Hub.builder().transport(URI.create("redis://localhost:6379"))} is all it takes.
 *
 * <p>Stateless and thread-safe.
 */
public final class RedisTransportProvider implements UpdateTransportProvider {

    @Override
    public Set<String> schemes() {
        return RedisSettings.SCHEMES;
    }

    @Override
    public UpdateTransport create(URI uri, HubConfig config) {
        return new RedisTransport(RedisSettings.parse(uri), config);
    }
}
