package dev.herald.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Publishes timestamped updates over a few keep-alive HTTP/1.1 connections, each with at most one
 * request in flight: at a set rate (a 1 ms tick sends what is due, on the connections that are
 * free), or as fast as the server answers. Each update carries its publish sequence (from 1) and
 * the time its request was written ({@link Payload}). Connections the server closes (nginx after
 * {@code keepalive_requests}) are replaced.
 *
 * <p>Thread-safe: all its state lives on one event loop; the public methods hand work to it.
 */
final class Publisher {

    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final long TICK_MICROS = 1000;
    /** Replacement connections allowed per connection, so a server refusing us cannot loop forever. */
    static final int MAX_RECONNECTS_PER_CONNECTION = 1000;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final Target target;
    private final String path;
    private final String host;
    private final String topic;
    private final String authorization;
    private final int dataBytes;
    private final double rate;
    private final int connections;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final Histogram rtt = Histograms.newHistogram();

    // confined to the loop
    private long issued;
    private long startNanos;
    private boolean running;
    private boolean closing;
    private int inFlight;
    private int reconnectsLeft;
    private ScheduledFuture<?> ticker;
    private long ok;
    private long errors;
    private long okInWindow;
    private long windowFrom = Long.MAX_VALUE;
    private long maxBehind;
    private String firstError;

    Publisher(EventLoopGroup group, Target target, URI base, String topic, String token, int connections, double rate,
              int dataBytes) {
        this.loop = group.next();
        this.target = target;
        URI u = target.publishUri(base, topic);
        this.path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        this.host = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        this.remote = new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
        this.topic = topic;
        this.authorization = target.needsToken() && token != null ? "Bearer " + token : null;
        this.dataBytes = dataBytes;
        this.rate = rate;
        this.connections = connections;
        this.reconnectsLeft = connections * MAX_RECONNECTS_PER_CONNECTION;
        this.bootstrap = new Bootstrap().group(loop).channel(Net.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, SubscriberPool.CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                                new ResponseHandler());
                    }
                });
    }

    /**
     * Opens the connections.
     *
     * @throws IllegalStateException when one cannot be opened within {@code timeout}
     */
    void connect(Duration timeout) {
        for (int i = 0; i < connections; i++) {
            ChannelFuture f = bootstrap.connect(remote);
            if (!f.awaitUninterruptibly(timeout.toMillis()) || !f.isSuccess()) {
                throw new IllegalStateException("cannot connect the publisher to " + remote + ": "
                        + (f.cause() == null ? "timed out" : f.cause().getMessage()));
            }
            call(() -> idle.add(f.channel()));
        }
    }

    /** Starts publishing. */
    void start() {
        call(() -> {
            running = true;
            startNanos = System.nanoTime();
            if (Double.isInfinite(rate)) {
                while (!idle.isEmpty()) {
                    send(idle.poll());
                }
            } else {
                ticker = loop.scheduleAtFixedRate(this::pump, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
            }
            return null;
        });
    }

    /**
     * Opens the window {@code margin} updates ahead: successes of updates from the returned
     * sequence on count in {@link Counts#okInWindow()}.
     */
    long openWindow(long margin) {
        return call(() -> {
            windowFrom = issued + 1 + margin;
            return windowFrom;
        });
    }

    /** The sequence the next update will carry. */
    long nextSequence() {
        return call(() -> issued + 1);
    }

    /** Stops publishing; returns the sequence after the last one sent. */
    long stop() {
        return call(() -> {
            running = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
            return issued + 1;
        });
    }

    /** Waits until no request is in flight, up to {@code timeout}; true when none is. */
    boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (call(() -> inFlight) == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Counts since the start. */
    Counts counts() {
        return call(() -> new Counts(issued, ok, errors, okInWindow, maxBehind, rtt.copy(), firstError));
    }

    /** Closes the connections. */
    void close() {
        call(() -> {
            closing = true;
            running = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
            for (Channel c : idle) {
                c.close();
            }
            return null;
        });
    }

    /** Sends what is due on the free connections. Runs on the loop. */
    private void pump() {
        if (!running) {
            return;
        }
        long due = (long) (rate * (System.nanoTime() - startNanos) / 1e9);
        while (issued < due && !idle.isEmpty()) {
            send(idle.poll());
        }
        maxBehind = Math.max(maxBehind, due - issued);
    }

    private void send(Channel ch) {
        long seq = ++issued;
        long micros = Payload.nowMicros();
        byte[] body = target.publishBody(topic, Payload.of(micros, seq, dataBytes)).getBytes(StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONTENT_TYPE, target.publishContentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (authorization != null) {
            req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        ResponseHandler h = ch.pipeline().get(ResponseHandler.class);
        h.sequence = seq;
        h.sentNanos = System.nanoTime();
        h.busy = true;
        inFlight++;
        ch.writeAndFlush(req);
    }

    private <T> T call(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> f = loop.submit(task);
        if (!f.awaitUninterruptibly(5000) || !f.isSuccess()) {
            throw new IllegalStateException("publisher loop did not answer: " + f.cause());
        }
        return f.getNow();
    }

    private void done(Channel ch, ResponseHandler h, boolean success, String error, boolean keepAlive) {
        if (!h.busy) {
            return;
        }
        h.busy = false;
        inFlight--;
        Histograms.record(rtt, (System.nanoTime() - h.sentNanos) / 1000);
        if (success) {
            ok++;
            if (h.sequence >= windowFrom) {
                okInWindow++;
            }
        } else {
            errors++;
            if (firstError == null) {
                firstError = error;
            }
        }
        if (!keepAlive) {
            ch.close(); // replaced once closed
            return;
        }
        if (!ch.isActive()) {
            return;
        }
        if (running && Double.isInfinite(rate)) {
            send(ch);
        } else {
            idle.add(ch);
            pump();
        }
    }

    private void replace(Channel gone) {
        idle.remove(gone);
        if (closing || reconnectsLeft-- <= 0) {
            return;
        }
        bootstrap.connect(remote).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                if (closing) {
                    f.channel().close();
                } else if (running && Double.isInfinite(rate)) {
                    send(f.channel());
                } else {
                    idle.add(f.channel());
                }
            } else if (firstError == null) {
                firstError = "publisher reconnect failed: " + f.cause();
            }
        });
    }

    /** One connection's response handling; its fields describe the request in flight. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        long sequence;
        long sentNanos;
        boolean busy;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
            int code = res.status().code();
            boolean success = code >= 200 && code < 300;
            done(ctx.channel(), this, success, success ? null
                    : "publish answered " + res.status() + ": " + excerpt(res.content().toString(StandardCharsets.UTF_8)),
                    HttpUtil.isKeepAlive(res));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (busy) {
                busy = false;
                inFlight--;
                errors++;
                if (firstError == null) {
                    firstError = "publisher connection closed with a request in flight";
                }
            }
            replace(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (firstError == null) {
                firstError = "publisher connection error: " + cause;
            }
            ctx.close();
        }
    }

    private static String excerpt(String s) {
        String one = s.replace('\n', ' ').trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    /**
     * Publishing counts. Immutable (the histogram is a private copy).
     *
     * @param sent updates sent
     * @param ok updates the server accepted (2xx)
     * @param errors updates refused or lost with their connection
     * @param okInWindow accepted updates with a sequence in the window
     * @param maxBehind the most updates that were due but not yet sent (all connections busy)
     * @param rtt publish request round trips in microseconds
     * @param firstError the first error's description, or {@code null}
     */
    record Counts(long sent, long ok, long errors, long okInWindow, long maxBehind, Histogram rtt, String firstError) {
    }
}
