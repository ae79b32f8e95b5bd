package dev.herald.hub.internal.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The I/O transport: native epoll where the platform has it (fewer allocations, edge-triggered
 * I/O, gathering writes), NIO otherwise. Stateless and thread-safe.
 */
public final class Transport {

    private Transport() {
    }

    /** Whether native epoll is used. Set {@code -Dherald.transport=nio} to force NIO. */
    public static boolean isEpoll() {
        return !"nio".equalsIgnoreCase(System.getProperty("herald.transport")) && Epoll.isAvailable();
    }

    public static String name() {
        return isEpoll() ? "epoll" : "nio";
    }

    static MultiThreadIoEventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = isEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return isEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
