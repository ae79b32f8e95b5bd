package dev.herald.hub.internal.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;

/**
 * Builds each connection's pipeline. Cleartext connections speak HTTP/1.1 and HTTP/2 both by
 * prior knowledge and by {@code Upgrade: h2c}; TLS connections pick HTTP/2 or HTTP/1.1 by ALPN.
 * Whatever the protocol, requests reach {@link HubHandler} as aggregated {@code FullHttpRequest}s
 * (HTTP/2 streams through {@link Http2StreamFrameToHttpObjectCodec}), so one handler serves both.
 *
 * <p>Thread-safe (shared by all connections; holds only immutable settings).
 */
final class HubInitializer extends ChannelInitializer<Channel> {

    /** Handler names, so a subscribe can strip the request codecs once its stream starts. */
    static final String HTTP_CODEC = "http-codec";
    static final String AGGREGATOR = "aggregator";
    static final String H2_CODEC = "h2-to-http";
    static final String GUARD = "guard";
    static final String TRACKER = "request-tracker";
    static final String ORDER = "pipeline-order";

    private final SslContext ssl;
    private final HubHandler handler;
    private final ServerLimits limits;

    HubInitializer(SslContext ssl, HubHandler handler, ServerLimits limits) {
        this.ssl = ssl;
        this.handler = handler;
        this.limits = limits;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setWriteBufferWaterMark(limits.waterMark());
        ChannelPipeline p = ch.pipeline();
        p.addLast(limits.connections());
        p.addLast(GUARD, new ConnectionGuard(limits.timeouts()));
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc()));
            p.addLast(new Alpn());
            return;
        }
        HttpServerCodec codec = newHttpCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(http2FrameCodec(), new Http2MultiplexHandler(new StreamInitializer()))
                        : null, limits.maxRequestBody());
        p.addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                addHttp2(c.pipeline());
            }
        }));
        addHttp1Tail(p);
    }

    private HttpServerCodec newHttpCodec() {
        return new HttpServerCodec(limits.maxInitialLineLength(), limits.maxHeaderSize(), 8192);
    }

    private void addHttp1Tail(ChannelPipeline p) {
        p.addLast(TRACKER, RequestTracker.INSTANCE);
        p.addLast(AGGREGATOR, new HttpObjectAggregator(limits.maxRequestBody()));
        p.addLast(ORDER, new PipelineOrder());
        p.addLast(handler);
    }

    private void addHttp2(ChannelPipeline p) {
        p.addLast(http2FrameCodec());
        p.addLast(new Http2MultiplexHandler(new StreamInitializer()));
        p.addLast(ClientErrors.INSTANCE); // connection errors end here, not at the pipeline's tail
    }

    private Http2FrameCodec http2FrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .maxHeaderListSize(limits.maxHeaderSize()))
                .validateHeaders(true)
                .build();
    }

    /** Each HTTP/2 stream gets the same request handling as an HTTP/1.1 connection. */
    private final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ch.config().setWriteBufferWaterMark(limits.waterMark());
            ch.pipeline().addLast(H2_CODEC, new Http2StreamFrameToHttpObjectCodec(true));
            ch.pipeline().addLast(AGGREGATOR, new HttpObjectAggregator(limits.maxRequestBody()));
            ch.pipeline().addLast(handler);
        }
    }

    private final class Alpn extends ApplicationProtocolNegotiationHandler {
        Alpn() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline());
            } else {
                ctx.pipeline().addLast(HTTP_CODEC, newHttpCodec());
                addHttp1Tail(ctx.pipeline());
            }
        }
    }

    /**
     * Limits of the HTTP layer. Thread-safe.
     *
     * @param connections the shared connection counters (first handler of every pipeline)
     * @param timeouts the header and idle timeouts of {@link ConnectionGuard}
     */
    record ServerLimits(int maxInitialLineLength, int maxHeaderSize, int maxRequestBody, int maxConcurrentStreams,
                        WriteBufferWaterMark waterMark, ConnectionLimits connections, ConnectionGuard.Timeouts timeouts) {
    }
}
