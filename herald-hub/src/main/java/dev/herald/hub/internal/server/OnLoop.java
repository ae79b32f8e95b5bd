package dev.herald.hub.internal.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Goes on with a request on its channel's event loop once a future completes (a ticket store's answer
 * may come on a thread of the store). Stateless and thread-safe.
 */
final class OnLoop {

    private OnLoop() {
    }

    /**
     * Calls {@code then} with the outcome of {@code future} on {@code ctx}'s event loop, at once when it
     * is already done (the caller is on the loop), else later if the channel is still open, keeping
     * {@code req} (which {@code then} may read) until it ran.
     */
    static <T> void whenDone(ChannelHandlerContext ctx, FullHttpRequest req, CompletableFuture<T> future,
                             BiConsumer<? super T, ? super Throwable> then) {
        if (future.isDone()) {
            T value = null;
            Throwable failure = null;
            try {
                value = future.join();
            } catch (RuntimeException e) {
                failure = e;
            }
            then.accept(value, failure);
            return;
        }
        req.retain(); // released once then ran on the loop
        future.whenComplete((value, failure) -> {
            try {
                ctx.executor().execute(() -> {
                    try {
                        if (ctx.channel().isActive()) {
                            then.accept(value, failure);
                        }
                    } finally {
                        req.release();
                    }
                });
            } catch (RejectedExecutionException e) {
                req.release(); // the hub is shutting down
            }
        });
    }
}
