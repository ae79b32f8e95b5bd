package dev.herald.hub.internal.server;

import dev.herald.hub.internal.dispatch.SubscriberAccess;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Authorization as the HTTP layer needs it (Mercure §"Authorization"): who may publish to which
 * topics, and what a subscriber may receive. Keeps token handling out of the request handlers.
 *
 * <p>Implementations are thread-safe.
 */
interface RequestAuth {

    /**
     * What the subscriber presenting these headers may receive.
     *
     * @throws AuthRejection when a token is required but absent, invalid or malformed
     */
    SubscriberAccess authenticateSubscriber(HttpHeaders headers) throws AuthRejection;

    /**
     * Checks that the publisher presenting these headers may publish to every one of {@code topics}.
     *
     * @throws AuthRejection when it may not (401, 403 or 400 as RFC 6750 says)
     */
    void authorizePublish(HttpHeaders headers, List<String> topics) throws AuthRejection;
}
