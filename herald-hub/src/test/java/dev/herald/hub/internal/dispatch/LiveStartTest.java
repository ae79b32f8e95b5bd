package dev.herald.hub.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.hub.internal.topic.TopicMatchers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a stream opened without a last event ID starts, on an {@link EmbeddedChannel} whose loop
 * runs its queued tasks only when told: an update handed to the loops before the stream was
 * registered is not delivered to it, even while the loop has not drained it yet.
 */
class LiveStartTest {

    private static final String TOPIC = "https://example.com/books/1";

    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final Dispatcher d = new Dispatcher(ch.eventLoop(), new MemoryHistoryStore(100), Runnable::run,
            new DeliveryLimits(1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30), 256, Duration.ofHours(1),
                    Duration.ZERO),
            new Stats(), DispatchListener.NONE);

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void anUpdateQueuedBeforeTheStreamOpenedIsNotDeliveredToIt() throws Exception {
        d.start();
        publish("before");   // queued on the loop, not drained yet

        subscribe();
        ch.runPendingTasks();
        publish("after");
        ch.runPendingTasks();

        assertThat(sent()).containsExactly("after");
    }

    @Test
    void aStreamReplayingFromTheStartStillGetsTheQueuedUpdate() throws Exception {
        d.start();
        publish("before");

        d.subscribe(subscriber(), d.resolve("earliest"));
        ch.runPendingTasks();

        assertThat(String.join("", sent())).contains("before");
    }

    private Subscriber subscriber() throws Exception {
        return new Subscriber(ch, false, List.of(TopicMatchers.of("https://example.com/").create("exact", TOPIC)),
                SubscriberAccess.ANONYMOUS);
    }

    private void subscribe() throws Exception {
        d.subscribe(subscriber(), d.resolve(null));
    }

    private void publish(String data) {
        d.publish("urn:" + data, List.of(TOPIC), false, data.getBytes(StandardCharsets.UTF_8)).join();
    }

    private List<String> sent() {
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
