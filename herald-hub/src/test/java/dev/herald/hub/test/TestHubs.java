package dev.herald.hub.test;

import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/** Hubs for black-box tests: loopback, a free port, a known key, issuer and audience. */
public final class TestHubs {

    public static final String PUBLIC_URL = "https://hub.test/.well-known/mercure";
    public static final String AUDIENCE = PUBLIC_URL;

    private TestHubs() {
    }

    /**
     * A builder with the test defaults: anonymous subscribers, publisher key {@link Tokens#KEY}, and
     * the memory history (tests of the durable one choose it, with a directory of their own).
     */
    public static Hub.Builder builder() {
        return Hub.builder()
                .history(HistoryKind.MEMORY)
                .address(new InetSocketAddress("127.0.0.1", 0))
                .publicUrl(URI.create(PUBLIC_URL))
                .jwtIssuer(Tokens.ISSUER)
                .publisherJwtKey(Tokens.KEY)
                .anonymous(true)
                .eventLoopThreads(2)
                .shutdownTimeout(Duration.ofSeconds(2));
    }

    public static Hub start() {
        return builder().build().start();
    }

    /** The hub URL with {@code query} appended (already encoded). */
    public static URI url(Hub hub, String query) {
        return URI.create(hub.url() + (query.isEmpty() ? "" : "?" + query));
    }

    public static String publisherToken() {
        return Tokens.publisher(AUDIENCE, "*");
    }
}
