package dev.herald.hub.internal.server;

import dev.herald.hub.Compat;
import dev.herald.hub.HubConfig;
import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.dispatch.Dispatcher;
import dev.herald.hub.internal.dispatch.Subscriber;
import dev.herald.hub.internal.dispatch.SubscriberAccess;
import dev.herald.hub.internal.subscriptions.SubscriptionEvents;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.nio.charset.StandardCharsets;

/**
 * Starts an event stream (Mercure §"Subscription"): reads the matchers and the last event ID,
 * authenticates the subscriber, counts the stream against its token subject's limit (429 with
 * {@code Retry-After} beyond it), answers with the {@code text/event-stream} headers, strips the
 * connection's request codecs (a stream never reads another request, so their buffers are given
 * back), and hands the stream to the dispatcher for replay then live delivery; with active
 * subscriptions on, its subscription events are published ({@link SubscriptionEvents}).
 *
 * <p>Thread-safe (stateless; shared by all connections).
 */
final class SubscribeEndpoint {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final String MERCURE_LAST_EVENT_ID = "Mercure-Last-Event-ID";

    private final SubscriptionParser parser;
    private final RequestAuth auth;
    private final Dispatcher dispatcher;
    private final CorsPolicy cors;
    private final ConnectionLimits limits;
    private final String hubLink;
    private final SubscriptionEvents subscriptionEvents; // null: active subscriptions are off
    private final boolean compat0x;

    SubscribeEndpoint(HubConfig config, TopicMatcherFactory matchers, RequestAuth auth, Dispatcher dispatcher,
                      CorsPolicy cors, ConnectionLimits limits, SubscriptionEvents subscriptionEvents) {
        this.subscriptionEvents = subscriptionEvents;
        this.compat0x = config.compat() == Compat.V0X;
        this.cors = cors;
        this.limits = limits;
        this.hubLink = new ResourceMetadata(config).link();
        this.parser = new SubscriptionParser(config, matchers);
        this.auth = auth;
        this.dispatcher = dispatcher;
    }

    /** Handles a subscription whose credentials were verified ({@link RequestAuth#verify}); on the channel's event loop. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, AuthResult verified) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        SubscriptionParser.Subscription sub;
        try {
            sub = parser.parse(req);
        } catch (BadRequestException e) {
            cors.send(ctx, req, Responses.text(e.status(), e.getMessage()), keepAlive);
            return;
        }
        SubscriberAccess access;
        try {
            access = auth.authenticateSubscriber(verified);
        } catch (AuthRejection f) {
            cors.send(ctx, req, authFailure(f), keepAlive);
            return;
        }
        String subject = RequestAuth.subjectOf(verified);
        if (subject != null) {
            if (!limits.acquireStream(subject)) {
                FullHttpResponse r = Responses.text(HttpResponseStatus.TOO_MANY_REQUESTS,
                        "too many streams open with this token's subject, retry later");
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, ConnectionLimits.RETRY_AFTER_SECONDS);
                cors.send(ctx, req, r, keepAlive);
                return;
            }
            ctx.channel().closeFuture().addListener(f -> limits.releaseStream(subject));
        }
        // Mercure §"Reconciliation": the header takes precedence over the query parameter.
        String lastEventId = utf8(req.headers().get(LAST_EVENT_ID));
        if (lastEventId == null) {
            lastEventId = sub.lastEventId();
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_EVENT_STREAM);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        res.headers().set("X-Accel-Buffering", "no"); // nginx: do not buffer this response
        res.headers().set("Link", hubLink); // Mercure §"Hub Discovery"
        cors.apply(req.headers(), res.headers());
        // A history on disk is looked up off the event loop; the stream starts back on it.
        dispatcher.resolveAsync(lastEventId).whenComplete((start, failure) -> {
            if (ctx.executor().inEventLoop()) {
                start(ctx, req, res, sub, access, start, failure);
            } else {
                try {
                    ctx.executor().execute(() -> start(ctx, req, res, sub, access, start, failure));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    if (start != null && start.preamble() != null) {
                        start.preamble().release();
                    }
                }
            }
        });
    }

    private void start(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponse res,
                       SubscriptionParser.Subscription sub, SubscriberAccess access, Dispatcher.ReplayStart start,
                       Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            org.slf4j.LoggerFactory.getLogger(SubscribeEndpoint.class)
                    .warn("cannot look up the last event ID in the history: {}", cause.toString());
            FullHttpResponse r = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "history unavailable, retry later");
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, 1);
            cors.send(ctx, req, r, false);
            return;
        }
        if (start.responseLastEventId() != null) {
            res.headers().set(MERCURE_LAST_EVENT_ID, latin1(start.responseLastEventId()));
            if (compat0x) { // the pre-1.0 response field, named like the request header (Mercure appendix)
                res.headers().set(LAST_EVENT_ID, latin1(start.responseLastEventId()));
            }
        }
        boolean http2 = ctx.channel() instanceof Http2StreamChannel;
        // HTTP/1.1: no Content-Length and no chunking, so the body runs until the connection closes
        // and each frame goes out as raw bytes, with no per-write chunk header.
        ctx.write(res);
        stripRequestCodecs(ctx.pipeline(), http2);
        dispatcher.subscribe(new Subscriber(ctx.channel(), http2, sub.matchers(), access, sub.conflation()), start);
        if (subscriptionEvents != null) {
            // after subscribe: a subscriber following subscription events sees its own start
            subscriptionEvents.track(ctx.channel(), sub.matchers(), access);
        }
    }

    private static void stripRequestCodecs(ChannelPipeline p, boolean http2) {
        if (http2) {
            p.remove(Http2StreamFrameToHttpObjectCodec.class);
        } else {
            p.remove(HttpServerCodec.class);
            if (p.get(HttpServerUpgradeHandler.class) != null) {
                p.remove(HttpServerUpgradeHandler.class);
            }
            if (p.get(RequestTracker.class) != null) {
                p.remove(RequestTracker.class);
            }
            if (p.get(PipelineOrder.class) != null) {
                p.remove(PipelineOrder.class);
            }
        }
        p.remove(HttpObjectAggregator.class);
        p.remove(HubHandler.class);
        p.addLast(DiscardInbound.INSTANCE);
    }

    /**
     * A header value as its UTF-8 meaning: the HTTP codecs hand over each byte as one char
     * (ISO-8859-1), but browsers send a non-ASCII last event ID as UTF-8 (WHATWG HTML §9.2.4).
     */
    static String utf8(String headerValue) {
        if (headerValue == null || isAscii(headerValue)) {
            return headerValue;
        }
        return new String(headerValue.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** The inverse of {@link #utf8}: a value the codecs will write as its UTF-8 bytes. */
    static String latin1(String value) {
        return isAscii(value) ? value : new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static FullHttpResponse authFailure(AuthRejection f) {
        FullHttpResponse r = Responses.text(f.status(), f.getMessage());
        if (f.challenge() != null) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, f.challenge());
        }
        return r;
    }
}
