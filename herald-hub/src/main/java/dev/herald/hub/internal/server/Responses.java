package dev.herald.hub.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import dev.herald.hub.HistoryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * Small helpers for plain (non-streaming) responses. Every error carries a short, client-safe
 * reason as {@code text/plain}: never a stack trace, never a token. Stateless and thread-safe.
 */
final class Responses {

    static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";

    private Responses() {
    }

    /** A {@code text/plain} response; the body ends with a newline unless empty. */
    static FullHttpResponse text(HttpResponseStatus status, String body) {
        ByteBuf content = body.isEmpty() ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer((body + (body.endsWith("\n") ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN_UTF8);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    /** The publish success body: exactly the id, no trailing newline (Mercure §"Publication"). */
    static FullHttpResponse id(String id) {
        ByteBuf content = Unpooled.wrappedBuffer(id.getBytes(StandardCharsets.UTF_8));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN_UTF8);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return r;
    }

    /**
     * {@code 503} with {@code body} and the {@code Retry-After} of {@code failure} when it is a
     * {@link HistoryUnavailableException} (a store of the transport that cannot answer now), else 1 s.
     */
    static FullHttpResponse unavailable(Throwable failure, String body) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        FullHttpResponse r = text(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        r.headers().set(HttpHeaderNames.RETRY_AFTER, cause instanceof HistoryUnavailableException e
                ? Math.max(1, e.retryAfter().toSeconds()) : 1);
        return r;
    }

    /**
     * Sends {@code response}, keeping the connection open when the request allowed it and the
     * request body was fully read.
     */
    static ChannelFuture send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }



    static final CharSequence TEXT_EVENT_STREAM = HttpHeaderValues.TEXT_EVENT_STREAM;
}
