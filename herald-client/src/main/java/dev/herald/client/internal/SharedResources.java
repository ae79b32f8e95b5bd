package dev.herald.client.internal;

import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What event sources share unless configured otherwise, so that an open stream costs no thread and no
 * client of its own: one {@link HttpClient}, one pool of callback threads and one timer thread. Each is
 * created on first use. All threads are daemons.
 *
 * <p>Thread-safe. Not part of the public API.
 */
public final class SharedResources {

    private SharedResources() {
    }

    /**
     * The shared HTTP client. It does not follow redirects (the event source does, see
     * {@code EventSourceEngine}) and uses the JDK defaults otherwise: HTTP/2 where TLS negotiates it.
     */
    public static HttpClient httpClient() {
        return ClientHolder.CLIENT;
    }

    /**
     * The shared callback pool: threads are created when tasks need them and end after 60 idle seconds,
     * so a thousand quiet streams hold no thread, and a blocking listener never starves another stream.
     */
    public static Executor callbackExecutor() {
        return CallbackHolder.EXECUTOR;
    }

    /** The shared timer for reconnect delays and read-timeout checks; its tasks only hand work on. */
    public static ScheduledExecutorService scheduler() {
        return SchedulerHolder.SCHEDULER;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final class ClientHolder {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private static final class CallbackHolder {
        static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemons("herald-eventsource-"));
    }

    private static final class SchedulerHolder {
        static final ScheduledThreadPoolExecutor SCHEDULER;

        static {
            SCHEDULER = new ScheduledThreadPoolExecutor(1, daemons("herald-eventsource-timer-"));
            SCHEDULER.setRemoveOnCancelPolicy(true);
        }
    }
}
