package dev.herald.hub.internal.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * Tells the connection's {@link ConnectionGuard} where HTTP/1.1 requests begin and responses end:
 * sits right after the HTTP codec, sees a request's headers once they are complete, and the
 * response going out. An event-stream response ends the guard's watch. Stateless, shared by every
 * connection; thread-safe.
 */
@Sharable
final class RequestTracker extends ChannelDuplexHandler {

    static final RequestTracker INSTANCE = new RequestTracker();

    private RequestTracker() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest || msg instanceof LastHttpContent) {
            ConnectionGuard guard = ctx.pipeline().get(ConnectionGuard.class);
            if (guard != null) {
                if (msg instanceof HttpRequest) {
                    guard.requestStarted();
                }
                if (msg instanceof LastHttpContent) {
                    guard.requestReceived();
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ConnectionGuard guard = null;
        if (msg instanceof HttpResponse res) {
            if (res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ctx.write(msg, promise); // 100 Continue: the request is still coming
                return;
            }
            guard = ctx.pipeline().get(ConnectionGuard.class);
            if (guard != null && !(msg instanceof LastHttpContent) && isEventStream(res)) {
                guard.streaming();
                guard = null;
            }
        }
        if (msg instanceof LastHttpContent) {
            if (guard == null) {
                guard = ctx.pipeline().get(ConnectionGuard.class);
            }
            if (guard != null) {
                guard.responseSent();
            }
        }
        ctx.write(msg, promise);
    }

    private static boolean isEventStream(HttpResponse res) {
        String type = res.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && AsciiString.regionMatchesAscii(type, true, 0, HttpHeaderValues.TEXT_EVENT_STREAM, 0,
                HttpHeaderValues.TEXT_EVENT_STREAM.length());
    }
}
