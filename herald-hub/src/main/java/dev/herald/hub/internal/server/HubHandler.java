package dev.herald.hub.internal.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a request: the hub path to subscribe ({@code GET}, {@code QUERY}) or publish
 * ({@code POST}); {@code /healthz} and {@code /readyz}; 404 elsewhere. Malformed requests get a 4xx
 * with a reason; nothing reaches the client as a stack trace.
 *
 * <p>Thread-safe and shared by every connection: it keeps no per-connection state.
 */
@Sharable
final class HubHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HubHandler.class);
    static final HttpMethod QUERY = HttpMethod.valueOf("QUERY");
    private static final String ALLOW = "GET, QUERY, POST, OPTIONS";

    private final String hubPath;
    private final SubscribeEndpoint subscribe;
    private final PublishEndpoint publish;
    private final ReadinessCheck readiness;
    private final CorsPolicy cors;

    HubHandler(String hubPath, SubscribeEndpoint subscribe, PublishEndpoint publish, ReadinessCheck readiness,
               CorsPolicy cors) {
        this.cors = cors;
        this.hubPath = hubPath;
        this.subscribe = subscribe;
        this.publish = publish;
        this.readiness = readiness;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        DecoderResult result = req.decoderResult();
        if (result.isFailure()) {
            rejectMalformed(ctx, result.cause());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String path = pathOf(req.uri());
        if (path.equals(hubPath)) {
            HttpMethod m = req.method();
            if (m.equals(HttpMethod.GET) || m.equals(QUERY)) {
                subscribe.handle(ctx, req);
            } else if (m.equals(HttpMethod.POST)) {
                publish.handle(ctx, req, keepAlive);
            } else if (m.equals(HttpMethod.OPTIONS)) {
                FullHttpResponse r = Responses.text(HttpResponseStatus.NO_CONTENT, "");
                r.headers().set(HttpHeaderNames.ALLOW, ALLOW);
                cors.applyPreflight(req.headers(), r.headers());
                Responses.send(ctx, r, keepAlive);
            } else {
                FullHttpResponse r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        "method " + m.name() + " not allowed on the hub (allowed: " + ALLOW + ")");
                r.headers().set(HttpHeaderNames.ALLOW, ALLOW);
                cors.send(ctx, req, r, keepAlive);
            }
        } else if (path.equals("/healthz")) {
            Responses.send(ctx, Responses.text(HttpResponseStatus.OK, "ok"), keepAlive);
        } else if (path.equals("/readyz")) {
            String reason = readiness.notReadyReason();
            Responses.send(ctx, reason == null ? Responses.text(HttpResponseStatus.OK, "ready")
                    : Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, reason), keepAlive);
        } else {
            Responses.send(ctx, Responses.text(HttpResponseStatus.NOT_FOUND, "not found: " + Sanitize.excerpt(path)),
                    keepAlive);
        }
    }

    private static void rejectMalformed(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status;
        String reason;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            reason = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            reason = "request headers too large";
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            reason = "request too large";
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            reason = "malformed HTTP request";
        }
        Responses.send(ctx, Responses.text(status, reason), false);
    }

    /** The path of a request target, without query; an absolute-form target is reduced to its path. */
    static String pathOf(String uri) {
        int start = 0;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int slash = uri.indexOf('/', scheme + 3);
                if (slash < 0) {
                    return "/";
                }
                start = slash;
            }
        }
        int q = uri.indexOf('?', start);
        int hash = uri.indexOf('#', start);
        int end = q < 0 ? uri.length() : q;
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        return uri.substring(start, end);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("unexpected error on connection from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
