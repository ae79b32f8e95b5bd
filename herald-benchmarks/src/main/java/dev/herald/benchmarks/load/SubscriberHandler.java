package dev.herald.benchmarks.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One subscriber connection: sends the subscribe request, reads the response head, then scans the
 * event stream (de-chunking it when the server chunks it) and counts each event in its loop's
 * {@link LoopStats}. Allocates nothing per event.
 *
 * <p>Not thread-safe: one instance per channel, used on its event loop.
 */
final class SubscriberHandler extends ChannelInboundHandlerAdapter implements SseScanner.Listener {

    private final ByteBuf request;
    private final SubscriberPool pool;
    private final SseScanner scanner = new SseScanner(this);
    private ResponseHead head = new ResponseHead();
    private ByteSink body;
    private LoopStats stats;
    private long nowMicros;
    private boolean held;
    private boolean settled;

    /** @param request the subscribe request; a duplicate of it is written */
    SubscriberHandler(ByteBuf request, SubscriberPool pool) {
        this.request = request;
        this.pool = pool;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats = pool.statsOf(ctx.channel().eventLoop());
        ctx.writeAndFlush(request.retainedDuplicate());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            nowMicros = Payload.nowMicros();
            byte[] scratch = stats.scratch;
            while (buf.isReadable()) {
                int n = Math.min(buf.readableBytes(), scratch.length);
                buf.readBytes(scratch, 0, n);
                feed(ctx, scratch, n);
            }
        } catch (IllegalStateException e) {
            fail(ctx, e.getMessage());
        } finally {
            buf.release();
        }
    }

    private void feed(ChannelHandlerContext ctx, byte[] b, int len) {
        int off = 0;
        if (head != null) {
            int used = head.feed(b, 0, len);
            if (used < 0) {
                return;
            }
            if (head.status() != 200) {
                fail(ctx, "subscribe answered " + head.status());
                return;
            }
            body = head.chunked() ? new ChunkedDecoder(scanner) : scanner;
            head = null;
            held = true;
            settle(true, null);
            off = used;
        }
        if (off < len && body != null) {
            body.write(b, off, len - off);
        }
    }

    @Override
    public void onEvent(long t, long s) {
        stats.onEvent(t, s, nowMicros);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (held) {
            pool.dropped();
        } else {
            settle(false, "closed before the response headers");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        settle(false, reason);
        body = null;
        ctx.close();
    }

    /** Reports the connection attempt's outcome to the pool, once. */
    private void settle(boolean ok, String reason) {
        if (settled) {
            return;
        }
        settled = true;
        if (ok) {
            pool.connected();
        } else {
            pool.failed(reason);
        }
    }
}
