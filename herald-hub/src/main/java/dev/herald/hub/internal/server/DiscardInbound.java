package dev.herald.hub.internal.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The inbound end of an event stream: a subscriber sends nothing after its request, so anything
 * that arrives is dropped, and connection errors just close the stream.
 * Thread-safe and shared.
 */
@Sharable
final class DiscardInbound extends ChannelInboundHandlerAdapter {

    static final DiscardInbound INSTANCE = new DiscardInbound();

    private DiscardInbound() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientErrors.log(ctx, cause);
        ctx.close();
    }
}
