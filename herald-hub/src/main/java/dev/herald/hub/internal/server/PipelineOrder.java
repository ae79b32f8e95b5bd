package dev.herald.hub.internal.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Answers the HTTP/1.1 requests of one connection in the order they arrived (RFC 9112 §9.3.2): a
 * request is passed on to the {@link HubHandler} only once the response to the previous one has
 * been written; requests pipelined behind it wait here, with reads paused meanwhile, so what waits
 * is bounded by what the last read brought. Endpoints may then answer later than the request — a
 * publish once the history has stored it, a subscription once its last event ID was looked up, any
 * request whose token is verified off the event loop — without a pipelined request overtaking them.
 *
 * <p>Sits between the aggregator and the {@link HubHandler}, and is removed with the request codecs
 * when the connection becomes an event stream (what still waits is then dropped, as a stream never
 * reads another request). HTTP/2 needs none: each stream carries one request.
 *
 * <p>Not thread-safe: one per connection, used on its event loop only.
 */
final class PipelineOrder extends ChannelDuplexHandler {

    /** Whether a request was passed on and the last part of its response is not written yet. */
    private boolean answering;
    /** Requests that arrived while {@link #answering}; allocated on first use, as pipelining is rare. */
    private ArrayDeque<Object> waiting;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (answering) {
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        answering = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean ends = answering && msg instanceof LastHttpContent && !isInformational(msg);
        ctx.write(msg, promise);
        if (!ends) {
            return;
        }
        answering = false;
        if (waiting == null || waiting.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
        } else {
            // not from inside this write: the next request's handling may write in turn
            ctx.executor().execute(() -> next(ctx));
        }
    }

    private void next(ChannelHandlerContext ctx) {
        if (ctx.isRemoved() || answering) {
            return;
        }
        Object request = waiting.poll();
        if (request == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        answering = true;
        ctx.fireChannelRead(request);
    }

    /** {@code 100 Continue} and its kind precede the real response: the request is still being answered. */
    private static boolean isInformational(Object msg) {
        return msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (waiting != null) {
            Object m;
            while ((m = waiting.poll()) != null) {
                ReferenceCountUtil.release(m);
            }
        }
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true); // an event stream keeps reading, to see the client leave
        }
    }
}
