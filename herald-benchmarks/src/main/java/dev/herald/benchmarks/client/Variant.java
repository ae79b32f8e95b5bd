package dev.herald.benchmarks.client;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import dev.herald.client.EventSourceConfig;
import dev.herald.client.EventSourceListener;
import dev.herald.client.EventStream;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;

/**
 * One client set-up of the benchmark: a library and the way it is used. Each opened stream counts every
 * event in a shared {@link LongAdder} and counts {@code first} down once, on its first event. Enum
 * constants are immutable and thread-safe.
 */
enum Variant {

    /** Herald: {@code EventSource} with a listener, default configuration (shared HttpClient and pool). */
    HERALD("herald", "herald-client", "EventSource + listener (defaults)") {
        @Override
        AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) {
            EventSourceConfig config = EventSourceConfig.builder(uri).build();
            return dev.herald.client.EventSource.connect(config, new EventSourceListener() {
                private boolean seen;

                @Override
                public void onEvent(dev.herald.client.EventSource source, SseEvent event) {
                    events.increment();
                    if (!seen) {
                        seen = true;
                        first.countDown();
                    }
                }
            });
        }
    },

    /**
     * Herald as {@link #HERALD}, in a JVM where the JDK HttpClient reads into 2 KiB buffers instead of
     * 16 KiB ({@code -Djdk.httpclient.bufsize=2048}, a documented JDK property): one of them stays
     * allocated per open HTTP/1.1 connection.
     */
    HERALD_SMALL_BUFFERS("herald-2k", "herald-client", "EventSource + listener, -Djdk.httpclient.bufsize=2048",
            "-Djdk.httpclient.bufsize=2048") {
        @Override
        AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) throws Exception {
            return HERALD.open(uri, events, first);
        }
    },

    /** Herald: the blocking {@code EventStream}, iterated on a thread of its own. */
    HERALD_PULL("herald-pull", "herald-client", "EventStream iterator (pull)") {
        @Override
        AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) {
            EventStream stream = EventStream.open(EventSourceConfig.builder(uri).build());
            Thread reader = new Thread(() -> {
                boolean seen = false;
                while (stream.hasNext()) {
                    stream.next();
                    events.increment();
                    if (!seen) {
                        seen = true;
                        first.countDown();
                    }
                }
            }, "herald-pull-reader");
            reader.setDaemon(true);
            reader.start();
            return stream;
        }
    },

    /** okhttp-eventsource: {@code BackgroundEventSource} with a handler, default configuration. */
    OKHTTP("okhttp", "okhttp-eventsource", "BackgroundEventSource + handler (defaults)") {
        @Override
        AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) {
            return background(new EventSource.Builder(uri), events, first);
        }
    },

    /** okhttp-eventsource: as {@link #OKHTTP}, with one OkHttpClient shared by all streams. */
    OKHTTP_SHARED_CLIENT("okhttp-shared", "okhttp-eventsource",
            "BackgroundEventSource + handler, one shared OkHttpClient") {
        @Override
        AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) {
            return background(new EventSource.Builder(ConnectStrategy.http(uri).httpClient(SharedOkHttp.CLIENT)),
                    events, first);
        }
    },

    /** okhttp-eventsource: the blocking {@code messages()} iterator, on a thread of its own. */
    OKHTTP_PULL("okhttp-pull", "okhttp-eventsource", "EventSource.messages() iterator (pull)") {
        @Override
        AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) {
            EventSource source = new EventSource.Builder(uri).build();
            Thread reader = new Thread(() -> {
                boolean seen = false;
                for (MessageEvent ignored : source.messages()) {
                    events.increment();
                    if (!seen) {
                        seen = true;
                        first.countDown();
                    }
                }
            }, "okhttp-pull-reader");
            reader.setDaemon(true);
            reader.start();
            return source;
        }
    };

    final String label;
    final String library;
    final String api;
    /** Extra flags of the JVM this variant is measured in. */
    final String jvmFlags;

    Variant(String label, String library, String api) {
        this(label, library, api, "");
    }

    Variant(String label, String library, String api, String jvmFlags) {
        this.label = label;
        this.library = library;
        this.api = api;
        this.jvmFlags = jvmFlags;
    }

    abstract AutoCloseable open(URI uri, LongAdder events, CountDownLatch first) throws Exception;

    private static AutoCloseable background(EventSource.Builder builder, LongAdder events, CountDownLatch first) {
        BackgroundEventSource source = new BackgroundEventSource.Builder(new BackgroundEventHandler() {
            private boolean seen;

            @Override
            public void onOpen() {
            }

            @Override
            public void onClosed() {
            }

            @Override
            public void onMessage(String event, MessageEvent messageEvent) {
                events.increment();
                if (!seen) {
                    seen = true;
                    first.countDown();
                }
            }

            @Override
            public void onComment(String comment) {
            }

            @Override
            public void onError(Throwable t) {
            }
        }, builder).build();
        source.start();
        return source;
    }

    /** The OkHttpClient of {@link #OKHTTP_SHARED_CLIENT}, created on first use. */
    private static final class SharedOkHttp {
        static final OkHttpClient CLIENT = new OkHttpClient.Builder()
                .readTimeout(java.time.Duration.ofMinutes(5))
                .build();
    }
}
