package dev.herald.hub.internal.dispatch;

import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.publish;
import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.sent;
import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a stream opened without a last event ID starts, on an {@link EmbeddedChannel} whose loop
 * runs its queued tasks only when told: an update handed to the loops before the stream was
 * registered is not delivered to it, even while the loop has not drained it yet.
 */
class LiveStartTest {

    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final Dispatcher d = EmbeddedDispatch.dispatcher(ch, Duration.ZERO);

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void anUpdateQueuedBeforeTheStreamOpenedIsNotDeliveredToIt() throws Exception {
        publish(d, "before");   // queued on the loop, not drained yet

        d.subscribe(subscriber(ch), d.resolve(null));
        ch.runPendingTasks();
        publish(d, "after");
        ch.runPendingTasks();

        assertThat(sent(ch)).containsExactly("after");
    }

    @Test
    void aStreamReplayingFromTheStartStillGetsTheQueuedUpdate() throws Exception {
        publish(d, "before");

        d.subscribe(subscriber(ch), d.resolve("earliest"));
        ch.runPendingTasks();

        assertThat(String.join("", sent(ch))).contains("before");
    }
}
