package dev.herald.hub.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.Hub;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicMatchers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flush consolidation in {@link LoopDispatcher}, on an {@link EmbeddedChannel} whose loop runs on a
 * controlled clock: an embedded channel hands a write to its outbound queue only when it is flushed,
 * so the queue shows exactly which events a flush sent.
 */
class FlushConsolidationTest {

    private static final Duration DELAY = Duration.ofMillis(5);
    private static final String TOPIC = "https://example.com/books/1";

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void firstEventAfterAQuietIntervalIsFlushedAtOnce() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = subscribed(ch, DELAY);

        publish(d, "a");
        ch.runPendingTasks();

        assertThat(sent(ch)).containsExactly("a");
    }

    @Test
    void eventsWithinTheDelayOfTheLastFlushLeaveTogetherOnceItHasPassed() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = subscribed(ch, DELAY);
        publish(d, "a");
        ch.runPendingTasks();
        assertThat(sent(ch)).containsExactly("a");

        publish(d, "b");
        ch.runPendingTasks();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        publish(d, "c");
        ch.runPendingTasks();
        assertThat(sent(ch)).as("written but held until the delay has passed").isEmpty();

        ch.advanceTimeBy(DELAY.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sent(ch)).containsExactly("b", "c");
    }

    @Test
    void zeroDelayFlushesEveryDrain() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = subscribed(ch, Duration.ZERO);

        for (String data : List.of("a", "b", "c")) {
            publish(d, data);
            ch.runPendingTasks();
            assertThat(sent(ch)).containsExactly(data);
        }
    }

    @Test
    void negativeOrOverASecondFlushDelayIsRefusedWithItsReason() {
        assertThatThrownBy(() -> Hub.builder().flushDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("flushDelay: PT-0.001S (expected: 0 to 1s)");
        assertThatThrownBy(() -> Hub.builder().flushDelay(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("flushDelay: PT1H (expected: 0 to 1s)");
        assertThat(Hub.builder().flushDelay(Duration.ofSeconds(1))).isNotNull();
        assertThatThrownBy(() -> limits(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Hub.builder().flushDelay(Duration.ZERO)).isNotNull();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    private static DeliveryLimits limits(Duration flushDelay) {
        return new DeliveryLimits(1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(30), 256, Duration.ofHours(1),
                flushDelay);
    }

    private static TopicMatcher matcher() throws Exception {
        return TopicMatchers.of("https://example.com/").create("exact", TOPIC);
    }

    private static Dispatcher dispatcher(EmbeddedChannel ch, Duration flushDelay) {
        Dispatcher d = new Dispatcher(ch.eventLoop(), new MemoryHistoryStore(100), Runnable::run, limits(flushDelay),
                new Stats(), DispatchListener.NONE);
        d.start();
        return d;
    }

    private static Dispatcher subscribed(EmbeddedChannel ch, Duration flushDelay) throws Exception {
        Dispatcher d = dispatcher(ch, flushDelay);
        subscribe(d, ch);
        ch.runPendingTasks();
        return d;
    }

    private static void subscribe(Dispatcher d, EmbeddedChannel ch) throws Exception {
        Subscriber s = new Subscriber(ch, false, List.of(matcher()), SubscriberAccess.ANONYMOUS);
        d.subscribe(s, d.resolve(null));
    }

    private static void publish(Dispatcher d, String data) {
        d.publish("urn:" + data, List.of(TOPIC), false, data.getBytes(StandardCharsets.UTF_8)).join();
    }

    /** The frames a flush handed to the channel since the last call. */
    private static List<String> sent(EmbeddedChannel ch) {
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
