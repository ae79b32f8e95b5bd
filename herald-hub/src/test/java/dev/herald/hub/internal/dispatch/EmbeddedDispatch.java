package dev.herald.hub.internal.dispatch;

import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.hub.internal.topic.TopicMatchers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Dispatcher} on one {@link EmbeddedChannel}'s event loop, for tests that drive the loop by
 * hand: a memory history, anonymous subscribers of {@link #TOPIC}, publishes whose id and data are
 * one string, and {@link #sent} to read what the channel was flushed. Not thread-safe: a test's
 * thread is the embedded loop.
 */
final class EmbeddedDispatch {

    static final String TOPIC = "https://example.com/books/1";

    private EmbeddedDispatch() {
    }

    /** Generous limits with the given flush delay, so nothing but the delay shapes the writes. */
    static DeliveryLimits limits(Duration flushDelay) {
        return new DeliveryLimits(1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30), 256, Duration.ofHours(1),
                flushDelay);
    }

    /** A started dispatcher on {@code ch}'s loop, storing in memory and reading the history on the caller's thread. */
    static Dispatcher dispatcher(EmbeddedChannel ch, Duration flushDelay) {
        Dispatcher d = new Dispatcher(ch.eventLoop(), new MemoryHistoryStore(100), Runnable::run, limits(flushDelay),
                new Stats(), DispatchListener.NONE);
        d.start();
        return d;
    }

    /** An anonymous subscriber of {@link #TOPIC} on {@code ch}, not yet registered. */
    static Subscriber subscriber(EmbeddedChannel ch) throws Exception {
        return new Subscriber(ch, false, List.of(TopicMatchers.of("https://example.com/").create("exact", TOPIC)),
                SubscriberAccess.ANONYMOUS);
    }

    /** Publishes {@code data} to {@link #TOPIC} with the id {@code urn:data} and waits until it is stored. */
    static void publish(Dispatcher d, String data) {
        d.publish("urn:" + data, List.of(TOPIC), false, data.getBytes(StandardCharsets.UTF_8)).join();
    }

    /** The buffers {@code ch} was flushed since the last call, as text, empty ones left out. */
    static List<String> sent(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            if (b.isReadable()) {
                out.add(b.toString(StandardCharsets.UTF_8));
            }
            b.release();
        }
        return out;
    }
}
