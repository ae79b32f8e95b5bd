package dev.herald.benchmarks.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens and holds one worker's subscriber connections: at most {@code concurrency} attempts in
 * flight, spread round-robin over the subscribe URLs and the source addresses, each attempt
 * starting the next when it settles. Keeps the connection counts and one {@link LoopStats} per
 * event loop.
 *
 * <p>Thread-safe: counters are atomic; the event loops and the worker's command thread share it.
 */
final class SubscriberPool {

    /** A TCP connect that takes longer fails. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** Failure reasons kept for the report. */
    private static final int MAX_REASON_LENGTH = 200;

    private final EventLoopGroup group;
    private final List<URI> uris;
    private final List<ByteBuf> requests = new ArrayList<>();
    private final List<InetSocketAddress> sourceAddresses;
    private final int count;
    private final Map<EventExecutor, LoopStats> stats = new IdentityHashMap<>();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Bootstrap bootstrap;
    private final int concurrency;

    /**
     * @param uris subscribe URLs, used round-robin
     * @param sourceIps local addresses to bind, used round-robin; empty for the system's choice
     * @param count connections to open
     */
    SubscriberPool(EventLoopGroup group, List<URI> uris, List<String> sourceIps, int count, int concurrency,
                   Window window) {
        this.group = group;
        this.uris = List.copyOf(uris);
        this.count = count;
        this.concurrency = concurrency;
        for (URI u : uris) {
            requests.add(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(request(u).getBytes(StandardCharsets.US_ASCII))));
        }
        List<InetSocketAddress> sources = new ArrayList<>();
        for (String ip : sourceIps) {
            sources.add(new InetSocketAddress(ip, 0));
        }
        this.sourceAddresses = sources;
        for (EventExecutor e : group) {
            stats.put(e, new LoopStats(window));
        }
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(Net.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.SO_REUSEADDR, true);
    }

    /** The HTTP/1.1 request that opens the event stream at {@code u}. */
    static String request(URI u) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path += "?" + u.getRawQuery();
        }
        String host = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Cache-Control: no-cache\r\n"
                + "User-Agent: herald-bench\r\n"
                + "\r\n";
    }

    /** Starts connecting. */
    void start() {
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            next();
        }
    }

    private void next() {
        int i = attempted.getAndIncrement();
        if (i >= count) {
            return;
        }
        URI u = uris.get(i % uris.size());
        ByteBuf request = requests.get(i % uris.size());
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new SubscriberHandler(request, SubscriberPool.this));
            }
        });
        InetSocketAddress remote = new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
        ChannelFuture f = sourceAddresses.isEmpty() ? b.connect(remote)
                : b.connect(remote, sourceAddresses.get(i % sourceAddresses.size()));
        channels.add(f.channel());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                failed(String.valueOf(done.cause()));
            }
        });
    }

    LoopStats statsOf(EventLoop loop) {
        LoopStats s = stats.get(loop);
        if (s == null) {
            throw new IllegalStateException("channel on a foreign event loop");
        }
        return s;
    }

    void connected() {
        connected.incrementAndGet();
        next();
    }

    void failed(String reason) {
        failed.incrementAndGet();
        if (reason != null) {
            firstFailure.compareAndSet(null, reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason);
        }
        next();
    }

    void dropped() {
        dropped.incrementAndGet();
    }

    int connectedCount() {
        return connected.get();
    }

    int failedCount() {
        return failed.get();
    }

    int droppedCount() {
        return dropped.get();
    }

    /** The first failure's reason, or {@code null}. */
    String firstFailure() {
        return firstFailure.get();
    }

    /**
     * Each loop's counts, taken on the loop.
     *
     * @throws IllegalStateException when a loop does not answer within {@code timeout}
     */
    List<LoopStats.Snapshot> snapshot(boolean withWindow, Duration timeout) {
        List<Future<LoopStats.Snapshot>> pending = new ArrayList<>();
        for (Map.Entry<EventExecutor, LoopStats> e : stats.entrySet()) {
            pending.add(e.getKey().submit(() -> e.getValue().snapshot(withWindow)));
        }
        List<LoopStats.Snapshot> out = new ArrayList<>();
        for (Future<LoopStats.Snapshot> f : pending) {
            if (!f.awaitUninterruptibly(timeout.toMillis()) || !f.isSuccess()) {
                throw new IllegalStateException("an event loop did not answer within " + timeout.toMillis() + " ms");
            }
            out.add(f.getNow());
        }
        return out;
    }

    /** Closes every connection, waiting up to {@code timeout}. */
    void closeAll(Duration timeout) {
        channels.close().awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
