package dev.herald.hub.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent-connection limits (Mercure §"Subscription" and §"Resource Limits": per client and in
 * total; §"Authorization Details": per token): connections in total, connections per client IP
 * address, and event streams per token subject.
 *
 * <p>A connection over a limit is not closed at once: it is marked, so that its first request is
 * answered with a proper HTTP response whatever the protocol (HTTP/1.1, HTTP/2, TLS) — 503 over
 * the total, 429 over the per-address limit, both with {@code Retry-After} — and then closed. It does
 * not count towards the limits, and the header timeout bounds how long it can linger.
 *
 * <p>Counters are kept per address and per subject only while non-zero (entries are removed when
 * they drop to 0), so idle addresses cost nothing. Shared by every connection; thread-safe.
 */
@Sharable
final class ConnectionLimits extends ChannelInboundHandlerAdapter {

    /** {@code Retry-After} of every limit refusal, in seconds. */
    static final int RETRY_AFTER_SECONDS = 5;
    /** Set on a connection (the parent connection for HTTP/2 streams) that is over a limit: the status to refuse with. */
    static final AttributeKey<HttpResponseStatus> REFUSAL = AttributeKey.valueOf("herald.connection-refusal");

    private final int maxConnections;
    private final int maxPerAddress;
    private final int maxStreamsPerSubject;
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> perSubject = new ConcurrentHashMap<>();

    ConnectionLimits(int maxConnections, int maxPerAddress, int maxStreamsPerSubject) {
        this.maxConnections = positive(maxConnections, "maxConnections");
        this.maxPerAddress = positive(maxPerAddress, "maxConnectionsPerIp");
        this.maxStreamsPerSubject = positive(maxStreamsPerSubject, "maxStreamsPerSubject");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        HttpResponseStatus refusal = acquire(addressOf(ctx.channel()));
        ctx.fireChannelActive();
        if (refusal != null) {
            ctx.channel().attr(REFUSAL).set(refusal);
            ctx.pipeline().remove(this); // not counted, so nothing to release when it closes
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release(addressOf(ctx.channel()));
        ctx.fireChannelInactive();
    }

    /**
     * Counts a new connection from {@code address}; returns {@code null} when it is within the
     * limits, else the status to refuse it with (it is then not counted).
     */
    HttpResponseStatus acquire(InetAddress address) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            return HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        if (address != null && !increment(perAddress, address, maxPerAddress)) {
            connections.decrementAndGet();
            return HttpResponseStatus.TOO_MANY_REQUESTS;
        }
        return null;
    }

    /** Uncounts a connection {@link #acquire} accepted. */
    void release(InetAddress address) {
        connections.decrementAndGet();
        if (address != null) {
            decrement(perAddress, address);
        }
    }

    /** Counts a new stream of {@code subject}; false (not counted) when it already has the maximum. */
    boolean acquireStream(String subject) {
        return increment(perSubject, subject, maxStreamsPerSubject);
    }

    void releaseStream(String subject) {
        decrement(perSubject, subject);
    }

    /** The refusal status marked on the connection carrying {@code channel}, or {@code null}. */
    static HttpResponseStatus refusalOf(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        return connection.hasAttr(REFUSAL) ? connection.attr(REFUSAL).get() : null;
    }

    int connections() {
        return connections.get();
    }

    /** Addresses and subjects with a non-zero count (for tests of the clean-up). */
    int trackedKeys() {
        return perAddress.size() + perSubject.size();
    }

    private static <K> boolean increment(ConcurrentHashMap<K, Integer> counts, K key, int max) {
        boolean[] counted = new boolean[1];
        counts.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            counted[0] = true;
            return current + 1;
        });
        return counted[0];
    }

    private static <K> void decrement(ConcurrentHashMap<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static InetAddress addressOf(Channel channel) {
        SocketAddress a = channel.remoteAddress();
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getAddress() : null;
    }

    private static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
