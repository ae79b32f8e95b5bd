package dev.herald.hub.internal.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.auth.Role;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a request: the hub path to subscribe ({@code GET}, {@code QUERY}) or publish
 * ({@code POST}); the hub path + {@code /tickets} to the stream ticket endpoint ({@code POST}); the
 * Subscription API below it, when enabled ({@link SubscriptionsEndpoint}); {@code /healthz} and
 * {@code /readyz}; the {@link OpsRoutes} ({@code /metrics}, the web UI); 404 elsewhere. Malformed
 * requests get a 4xx with a reason; nothing reaches the client as a
 * stack trace. A connection over a {@link ConnectionLimits limit} gets 503 or 429 with
 * {@code Retry-After} to its first request.
 *
 * <p>The credentials of a hub request are verified before the endpoint runs: inline, or, when
 * verification may block on a JWK Set fetch, on the {@link RequestAuth#verifier()} pool, the
 * endpoint then continuing on the channel's event loop. Endpoints may answer later than the request
 * (a publish once stored); {@link PipelineOrder} keeps HTTP/1.1 responses in the order of their requests.
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
    private final RequestAuth auth;
    private final OpsRoutes ops;
    private final SubscriptionsEndpoint subscriptions; // null: the Subscription API is off (404)
    private final String ticketPath;
    private final TicketEndpoint tickets;

    HubHandler(String hubPath, SubscribeEndpoint subscribe, PublishEndpoint publish, ReadinessCheck readiness,
               CorsPolicy cors, RequestAuth auth, OpsRoutes ops, SubscriptionsEndpoint subscriptions,
               TicketEndpoint tickets) {
        this.subscriptions = subscriptions;
        this.ticketPath = hubPath + TicketEndpoint.PATH;
        this.tickets = tickets;
        this.ops = ops;
        this.cors = cors;
        this.auth = auth;
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
        String malformed = checkRequestLine(ctx, req);
        if (malformed != null) {
            HttpResponseStatus status = malformed.startsWith("HTTP version") ? HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED
                    : HttpResponseStatus.BAD_REQUEST;
            Responses.send(ctx, Responses.text(status, malformed), false);
            return;
        }
        HttpResponseStatus refusal = ConnectionLimits.refusalOf(ctx.channel());
        if (refusal != null) {
            refuseOverLimit(ctx, refusal);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String path = pathOf(req.uri());
        if (path.equals(hubPath)) {
            HttpMethod m = req.method();
            if (m.equals(HttpMethod.GET) || m.equals(QUERY)) {
                withCredentials(ctx, req, Role.SUBSCRIBER, keepAlive, verified -> subscribe.handle(ctx, req, verified));
            } else if (m.equals(HttpMethod.POST)) {
                withCredentials(ctx, req, Role.PUBLISHER, keepAlive,
                        verified -> publish.handle(ctx, req, keepAlive, verified));
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
        } else if (path.equals(ticketPath)) {
            HttpMethod m = req.method();
            if (m.equals(HttpMethod.POST)) {
                withCredentials(ctx, req, Role.SUBSCRIBER, keepAlive,
                        verified -> tickets.handle(ctx, req, keepAlive, verified));
            } else if (m.equals(HttpMethod.OPTIONS)) {
                FullHttpResponse r = Responses.text(HttpResponseStatus.NO_CONTENT, "");
                r.headers().set(HttpHeaderNames.ALLOW, TicketEndpoint.ALLOW);
                cors.applyPreflight(req.headers(), r.headers());
                Responses.send(ctx, r, keepAlive);
            } else {
                FullHttpResponse r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + m.name()
                        + " not allowed on the ticket endpoint (allowed: " + TicketEndpoint.ALLOW + ")");
                r.headers().set(HttpHeaderNames.ALLOW, TicketEndpoint.ALLOW);
                cors.send(ctx, req, r, keepAlive);
            }
        } else if (subscriptions != null && subscriptions.handles(path)) {
            if (req.method().equals(HttpMethod.OPTIONS)) {
                subscriptions.preflight(ctx, req, keepAlive);
            } else {
                withCredentials(ctx, req, Role.SUBSCRIBER, keepAlive,
                        verified -> subscriptions.handle(ctx, req, path, keepAlive, verified));
            }
        } else if (path.equals("/healthz")) {
            Responses.send(ctx, Responses.text(HttpResponseStatus.OK, "ok"), keepAlive);
        } else if (path.equals("/readyz")) {
            String reason = readiness.notReadyReason();
            Responses.send(ctx, reason == null ? Responses.text(HttpResponseStatus.OK, "ready")
                    : Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, reason), keepAlive);
        } else if (!ops.handle(ctx, req, path, keepAlive)) {
            Responses.send(ctx, Responses.text(HttpResponseStatus.NOT_FOUND, "not found: " + Sanitize.excerpt(path)),
                    keepAlive);
        }
    }

    /**
     * Verifies {@code req}'s credentials for {@code role} (or redeems its stream ticket), then runs
     * {@code endpoint} on the channel's event loop.
     */
    private void withCredentials(ChannelHandlerContext ctx, FullHttpRequest req, Role role, boolean keepAlive,
                                 Consumer<AuthResult> endpoint) {
        CompletableFuture<AuthResult> redemption = auth.redeemTicket(role, req);
        if (redemption != null) {
            OnLoop.whenDone(ctx, req, redemption, (redeemed, failure) -> {
                if (failure == null) {
                    endpoint.accept(redeemed);
                } else { // the store cannot tell: refused, never taken for anonymous
                    log.debug("stream ticket not redeemed: {}", failure.getMessage());
                    cors.send(ctx, req, Responses.unavailable(failure, "the stream ticket cannot be redeemed now"
                            + " (ticket store unavailable): request a new ticket and retry later"), keepAlive);
                }
            });
            return;
        }
        if (!auth.mayBlock(role, req)) {
            endpoint.accept(auth.verify(role, req));
            return;
        }
        req.retain(); // released once the endpoint ran on the loop
        try {
            auth.verifier().execute(() -> {
                AuthResult result;
                try {
                    result = auth.verify(role, req);
                } catch (RuntimeException e) {
                    log.warn("token verification failed unexpectedly", e);
                    result = null;
                }
                AuthResult verified = result;
                try {
                    ctx.executor().execute(() -> {
                        try {
                            if (!ctx.channel().isActive()) {
                                return;
                            }
                            if (verified == null) {
                                cors.send(ctx, req, Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                        "authorization failed, retry later"), false);
                            } else {
                                endpoint.accept(verified);
                            }
                        } finally {
                            req.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    req.release(); // the hub is shutting down
                }
            });
        } catch (RejectedExecutionException e) {
            req.release();
            log.warn("token verification queue full; answering 503");
            FullHttpResponse r = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many requests being authorized, retry later");
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, ConnectionLimits.RETRY_AFTER_SECONDS);
            cors.send(ctx, req, r, keepAlive);
        }
    }

    /** 503 (total) or 429 (per address) with {@code Retry-After}, then the connection is closed. */
    private static void refuseOverLimit(ChannelHandlerContext ctx, HttpResponseStatus status) {
        FullHttpResponse r = Responses.text(status, status == HttpResponseStatus.SERVICE_UNAVAILABLE
                ? "the hub has too many connections, retry later" : "too many connections from your address, retry later");
        r.headers().setInt(HttpHeaderNames.RETRY_AFTER, ConnectionLimits.RETRY_AFTER_SECONDS);
        Responses.send(ctx, r, false).addListener(f -> {
            if (ctx.channel() instanceof Http2StreamChannel) {
                ctx.channel().parent().close();
            }
        });
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

    /**
     * Checks what the HTTP codec lets through but RFC 9112 forbids: a version other than 1.0 and
     * 1.1 (505), a request target with bytes outside visible ASCII (§3.2: clients percent-encode),
     * and an HTTP/1.1 request without exactly one {@code Host} field (§3.2: 400). HTTP/2 streams
     * carry {@code :authority} instead and are not checked for {@code Host}.
     *
     * @return the reason to refuse the request with, or {@code null}
     */
    private static String checkRequestLine(ChannelHandlerContext ctx, FullHttpRequest req) {
        HttpVersion v = req.protocolVersion();
        if (!v.equals(HttpVersion.HTTP_1_1) && !v.equals(HttpVersion.HTTP_1_0)) {
            return "HTTP version not supported (expected: HTTP/1.1, HTTP/1.0 or HTTP/2)";
        }
        String uri = req.uri();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "request target has a character that must be percent-encoded (RFC 9112 §3.2)";
            }
        }
        if (v.equals(HttpVersion.HTTP_1_1) && !(ctx.channel() instanceof Http2StreamChannel)
                && req.headers().getAll(HttpHeaderNames.HOST).size() != 1) {
            return "an HTTP/1.1 request needs exactly one Host header (RFC 9112 §3.2)";
        }
        return null;
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
        ClientErrors.log(ctx, cause);
        ctx.close();
    }
}
