package dev.herald.hub.internal.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells connection errors a client can cause (resets, malformed HTTP/1.1, HTTP/2 or TLS, a
 * connection closed mid-request) from the hub's own failures: the former are logged at debug level
 * only (a hostile client must not be able to fill the logs), the latter at WARN with a stack trace.
 * Neither ever includes request data beyond the exception's own message, which Netty keeps free of
 * header values. Also the last handler of HTTP/2 connection pipelines, where connection errors end.
 *
 * <p>Stateless and shared; thread-safe.
 */
@Sharable
final class ClientErrors extends ChannelInboundHandlerAdapter {

    static final ClientErrors INSTANCE = new ClientErrors();
    private static final Logger log = LoggerFactory.getLogger(ClientErrors.class);

    private ClientErrors() {
    }

    /** Whether {@code cause} comes from what the client sent or how it went away. */
    static boolean isClientCaused(Throwable cause) {
        return cause instanceof IOException || cause instanceof DecoderException
                || cause instanceof Http2Exception || cause instanceof PrematureChannelClosureException;
    }

    /** Logs {@code cause} at the level it deserves. */
    static void log(ChannelHandlerContext ctx, Throwable cause) {
        if (isClientCaused(cause)) {
            log.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.getClass().getSimpleName());
        } else {
            log.warn("unexpected error on connection from {}", ctx.channel().remoteAddress(), cause);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log(ctx, cause);
        ctx.close();
    }
}
