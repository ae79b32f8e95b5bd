package dev.herald.hub.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection timeouts, with one timer at a time:
 *
 * <ul>
 *   <li><b>Header timeout</b> (slowloris): from the moment the connection is accepted, or the first
 *       byte of a following request arrives, the request headers must be complete within
 *       {@link Timeouts#headerNanos()} (TLS handshake included). Otherwise the connection is answered
 *       {@code 408 Request Timeout} if it sent part of a request, and closed.
 *   <li><b>Idle timeout</b>: a connection that is not an event stream (a keep-alive publisher
 *       between requests, a request whose body does not arrive in time, an HTTP/2 connection with
 *       no open stream) is closed after {@link Timeouts#idleNanos()}. A request received in full
 *       is never timed out while the hub handles it.
 * </ul>
 *
 * When an HTTP/1.1 connection becomes an event stream this handler removes itself: streams have
 * their own keep-alives and stall detection. An HTTP/2 connection keeps it, and the timer only
 * checks, every idle period, whether a stream is still open. This does what Netty's
 * {@code IdleStateHandler} would with less state per connection (one timer, no per-read
 * timestamps), since idle subscribers are what the hub holds by the hundred thousand.
 *
 * <p>It sits first in the pipeline (before TLS), sees raw bytes, and learns the HTTP/1.1 request
 * boundaries from {@link RequestTracker}. Not thread-safe: used on the channel's event loop only.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    /** The two timeouts, shared by every connection. Immutable and thread-safe. */
    record Timeouts(long headerNanos, long idleNanos) {
    }

    private static final byte AWAITING_HEADERS = 0;
    private static final byte IN_REQUEST = 1;
    private static final byte IDLE = 2;

    private final Timeouts timeouts;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private byte state = AWAITING_HEADERS;
    /** Whether bytes of a request arrived while awaiting its headers (a 408 then makes sense). */
    private boolean partial;

    ConnectionGuard(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            arm(timeouts.headerNanos());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (timer == null) {
            arm(timeouts.headerNanos());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == IDLE) {
            state = AWAITING_HEADERS;
            arm(timeouts.headerNanos());
        }
        if (state == AWAITING_HEADERS && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            partial = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    /** An HTTP/1.1 request's headers are complete: its body must arrive within the idle timeout. */
    void requestStarted() {
        state = IN_REQUEST;
        partial = false;
        arm(timeouts.idleNanos());
    }

    /** An HTTP/1.1 request was received in full: the hub is handling it, no timeout until it answers. */
    void requestReceived() {
        cancel();
    }

    /** The response to an HTTP/1.1 request was written: the connection waits idle for the next request. */
    void responseSent() {
        state = IDLE;
        partial = false;
        arm(timeouts.idleNanos());
    }

    /** The connection became an event stream: no more timeouts from here. */
    void streaming() {
        cancel();
        ctx.pipeline().remove(this);
    }

    private void arm(long nanos) {
        cancel();
        timer = ctx.executor().schedule(this::expired, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        Http2FrameCodec h2 = p.get(Http2FrameCodec.class);
        if (h2 != null) {
            if (h2.connection().numActiveStreams() > 0) {
                arm(timeouts.idleNanos()); // streams have their own keep-alives: check again later
                return;
            }
            if (state == AWAITING_HEADERS && h2.connection().remote().lastStreamCreated() > 0) {
                state = IDLE; // it has served requests: give it the idle period before closing
                arm(timeouts.idleNanos());
                return;
            }
            ctx.channel().close(); // the HTTP/2 handler sends GOAWAY
            return;
        }
        if (state == AWAITING_HEADERS && partial) {
            FullHttpResponse r = Responses.text(HttpResponseStatus.REQUEST_TIMEOUT,
                    "request headers not received in time");
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            // from the tail, so it goes through the HTTP codec and TLS; fails harmlessly where there is no codec
            ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.channel().close();
    }
}
