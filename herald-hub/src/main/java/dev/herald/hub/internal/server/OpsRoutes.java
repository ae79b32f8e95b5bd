package dev.herald.hub.internal.server;

import dev.herald.hub.internal.metrics.HubMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The operations routes beside the hub path: {@code /metrics} (Prometheus). Answers {@code GET}
 * and {@code HEAD}; other methods get 405.
 *
 * <p>Thread-safe and shared by every connection.
 */
public final class OpsRoutes {

    static final String METRICS_PATH = "/metrics";

    private final HubMetrics metrics;

    /** @param metrics what {@code /metrics} renders */
    public OpsRoutes(HubMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Answers {@code req} if {@code path} is one of these routes.
     *
     * @return whether a response was sent
     */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
        if (!path.equals(METRICS_PATH)) {
            return false;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            FullHttpResponse r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + req.method().name()
                    + " not allowed on " + path + " (allowed: GET, HEAD)");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            Responses.send(ctx, r, keepAlive);
            return true;
        }
        byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        Responses.send(ctx, ok(req, body, HubMetrics.CONTENT_TYPE, "no-store"), keepAlive);
        return true;
    }

    /** A 200 with {@code body} (none for {@code HEAD}, but its length). */
    static FullHttpResponse ok(FullHttpRequest req, byte[] body, String contentType, String cacheControl) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}
