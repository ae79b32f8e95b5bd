package dev.herald.benchmarks.history;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Publishers over keep-alive HTTP/1.1 connections, each with one request in flight, all on one Netty
 * event loop thread (so the client takes as little of the machine's CPU as it can). Closed loop: the
 * next request leaves as soon as the answer arrives. Paced: requests are scheduled at a fixed total
 * rate, and latency is measured from each request's scheduled time, so a slow answer that delays the
 * following requests is counted against them too (no coordinated omission).
 *
 * <p>Not thread-safe: one run at a time, from one thread.
 */
final class Publishers implements AutoCloseable {

    /** Outcome of one measured run. */
    record Result(long acknowledged, long errors, double perSecond, Histogram latencyMicros) {
    }

    private final URI hub;
    private final String token;
    private final byte[] body;
    private final int connections;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    Publishers(URI hub, String token, String formBody, int connections) {
        this.hub = hub;
        this.token = token;
        this.body = formBody.getBytes(StandardCharsets.US_ASCII);
        this.connections = connections;
    }

    /** As fast as the hub answers. */
    Result closedLoop(Duration warmup, Duration measure) throws InterruptedException {
        return run(0, warmup, measure);
    }

    /** At {@code perSecond} publishes per second in total. */
    Result paced(double perSecond, Duration warmup, Duration measure) throws InterruptedException {
        return run(perSecond, warmup, measure);
    }

    private Result run(double perSecond, Duration warmup, Duration measure) throws InterruptedException {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        Run run = new Run(start + warmup.toNanos(), start + warmup.toNanos() + measure.toNanos(), connections);
        List<Channel> channels = new ArrayList<>();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024));
                    }
                });
        long intervalNanos = perSecond > 0 ? (long) (1e9 * connections / perSecond) : 0;
        for (int i = 0; i < connections; i++) {
            Channel ch = b.connect(hub.getHost(), hub.getPort()).sync().channel();
            long first = start + (intervalNanos * i) / connections; // staggered
            ch.pipeline().addLast(new Connection(run, intervalNanos, first));
            channels.add(ch);
        }
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> ch.pipeline().get(Connection.class).sendAtOrAfter(ch));
        }
        run.done.await(warmup.toMillis() + measure.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        for (Channel ch : channels) {
            ch.close().sync();
        }
        double seconds = measure.toNanos() / 1e9;
        return new Result(run.acknowledged, run.errors, run.acknowledged / seconds, run.latency);
    }

    /** Shared by the connections; touched only on the client's event loop thread. */
    private static final class Run {
        final long measureFrom;
        final long measureTo;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        final CountDownLatch done;
        long acknowledged;
        long errors;

        Run(long measureFrom, long measureTo, int connections) {
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.done = new CountDownLatch(connections);
        }
    }

    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        final Run run;
        final long interval;
        long intended;
        long sentAt;

        Connection(Run run, long interval, long first) {
            this.run = run;
            this.interval = interval;
            this.intended = first;
        }

        void sendAtOrAfter(Channel ch) {
            long now = System.nanoTime();
            if (now >= run.measureTo) {
                run.done.countDown();
                return;
            }
            if (interval > 0 && now < intended) {
                ch.eventLoop().schedule(() -> send(ch), intended - now, TimeUnit.NANOSECONDS);
            } else {
                send(ch);
            }
        }

        private void send(Channel ch) {
            sentAt = System.nanoTime();
            if (interval == 0) {
                intended = sentAt;
            }
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, hub.getRawPath(),
                    Unpooled.wrappedBuffer(body));
            req.headers().set(HttpHeaderNames.HOST, hub.getHost() + ":" + hub.getPort())
                    .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ch.writeAndFlush(req);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            long now = System.nanoTime();
            if (now >= run.measureFrom && now < run.measureTo) {
                if (res.status().code() == 200) {
                    run.acknowledged++;
                    run.latency.recordValue(Math.min(run.latency.getHighestTrackableValue(),
                            Math.max(1, TimeUnit.NANOSECONDS.toMicros(now - intended))));
                } else {
                    run.errors++;
                }
            }
            intended += interval;
            sendAtOrAfter(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.errors++;
            ctx.close();
            run.done.countDown();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
