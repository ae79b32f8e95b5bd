package dev.herald.benchmarks.load;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The client transport: native epoll where available (set {@code -Dherald.bench.transport=nio} to
 * force NIO), NIO elsewhere. Stateless and thread-safe.
 */
final class Net {

    private Net() {
    }

    static boolean isEpoll() {
        return !"nio".equalsIgnoreCase(System.getProperty("herald.bench.transport")) && Epoll.isAvailable();
    }

    static String name() {
        return isEpoll() ? "epoll" : "nio";
    }

    /** An event loop group of daemon threads. */
    static MultiThreadIoEventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = isEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    static Class<? extends SocketChannel> socketChannel() {
        return isEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
