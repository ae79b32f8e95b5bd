package dev.herald.hub.internal.dispatch;

import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.dispatcher;
import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.limits;
import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.publish;
import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.sent;
import static dev.herald.hub.internal.dispatch.EmbeddedDispatch.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.Hub;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
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
 * so the queue shows exactly which events a flush sent. Every flush of the channel moves the clock by
 * a set cost, as a real socket write takes time, since the wait before the next flush follows it.
 */
class FlushConsolidationTest {

    private static final Duration DELAY = Duration.ofMillis(5);
    /** What a flush of the test channel costs by default: scaled, more than the delay, so the delay applies. */
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

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
        Dispatcher d = justFlushed(ch);

        publish(d, "b");
        ch.runPendingTasks();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        publish(d, "c");
        ch.runPendingTasks();
        assertThat(sent(ch)).as("written but held until the delay has passed").isEmpty();

        waitOutTheDelay(ch);
        assertThat(sent(ch)).as("gathered into one buffer, in order").containsExactly("bc");
    }

    @Test
    void aStreamGathersAtMostMaxGatheredFramesPerBufferAndKeepsTheirOrder() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = justFlushed(ch);

        StringBuilder all = new StringBuilder();
        for (int i = 0; i < Subscriber.MAX_GATHERED + 3; i++) {
            String data = Character.toString('A' + i % 26);
            all.append(data);
            publish(d, data);
        }
        ch.runPendingTasks();
        waitOutTheDelay(ch);

        List<String> buffers = sent(ch);
        assertThat(buffers).hasSize(2);
        assertThat(buffers.get(0)).hasSize(Subscriber.MAX_GATHERED);
        assertThat(String.join("", buffers)).isEqualTo(all.toString());
    }

    @Test
    void aFrameOverTheGatheringLimitIsWrittenAloneAfterTheFramesGatheredBeforeIt() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = justFlushed(ch);
        String big = "b".repeat(Subscriber.MAX_GATHERED_FRAME_BYTES + 1);

        publish(d, "a");
        publish(d, big);
        publish(d, "c");
        publish(d, "d");
        ch.runPendingTasks();
        waitOutTheDelay(ch);

        assertThat(sent(ch)).containsExactly("a", big, "cd");
    }

    @Test
    void gatheringStopsAtMaxGatheredBytesPerBuffer() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = justFlushed(ch);
        String frame = "x".repeat(Subscriber.MAX_GATHERED_FRAME_BYTES);
        int perBuffer = Subscriber.MAX_GATHERED_BYTES / frame.length();

        for (int i = 0; i < perBuffer + 1; i++) {
            publish(d, frame);
        }
        ch.runPendingTasks();
        waitOutTheDelay(ch);

        assertThat(sent(ch)).containsExactly(frame.repeat(perBuffer), frame);
    }

    @Test
    void aWriteOutsideTheLiveFlowGoesOutAfterTheFramesGatheredBeforeIt() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = justFlushed(ch);
        publish(d, "b");
        ch.runPendingTasks();

        d.endStreams("bye".getBytes(StandardCharsets.UTF_8));
        ch.runPendingTasks();

        assertThat(sent(ch)).containsExactly("b", "bye");
    }

    @Test
    void framesGatheredByAStreamThatClosesAreReleased() throws Exception {
        EmbeddedChannel ch = channel();
        Dispatcher d = dispatcher(ch, DELAY);
        Subscriber s = subscriber(ch);
        d.subscribe(s, d.resolve(null));
        ch.runPendingTasks();
        publish(d, "a");
        ch.runPendingTasks();
        publish(d, "b");
        ch.runPendingTasks();
        assertThat(s.gatheredCount()).isEqualTo(1);

        ch.close();
        ch.runPendingTasks();

        assertThat(s.gatheredCount()).isZero();
    }

    @Test
    void releasingGatheredFramesGivesBackTheirReferences() throws Exception {
        EmbeddedChannel ch = channel();
        Subscriber s = subscriber(ch);
        ByteBuf frame = Unpooled.copiedBuffer("x", StandardCharsets.UTF_8);
        s.offer(frame, 0);
        s.offer(frame, 0);
        assertThat(frame.refCnt()).isEqualTo(3);

        s.releaseGathered();

        assertThat(frame.refCnt()).isEqualTo(1);
        assertThat(frame.readerIndex()).as("the shared frame is never read from").isZero();
        frame.release();
    }

    @Test
    void theWaitAfterAFlushIsEightTimesWhatItTookWhenThatIsUnderTheDelay() throws Exception {
        long flushNanos = TimeUnit.MICROSECONDS.toNanos(100); // a flush of a few streams
        EmbeddedChannel ch = channel(flushNanos);
        Dispatcher d = subscribed(ch, DELAY);
        publish(d, "a");
        ch.runPendingTasks();
        assertThat(sent(ch)).containsExactly("a");

        publish(d, "b");
        ch.runPendingTasks();
        assertThat(sent(ch)).as("within 800 us of a flush that took 100 us").isEmpty();

        ch.advanceTimeBy(LoopDispatcher.FLUSH_WAIT_PER_FLUSH_TIME * flushNanos - flushNanos, TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertThat(sent(ch)).as("flushed once 800 us have passed, long before the delay").containsExactly("b");
    }

    @Test
    void aFlushThatTakesNoTimeLeavesNoWait() throws Exception {
        EmbeddedChannel ch = channel(0);
        Dispatcher d = subscribed(ch, DELAY);

        for (String data : List.of("a", "b", "c")) {
            publish(d, data);
            ch.runPendingTasks();
            assertThat(sent(ch)).containsExactly(data);
        }
    }

    @Test
    void aSubscriberThatNeverGatheredReleasesNothing() throws Exception {
        Subscriber s = subscriber(channel());

        s.releaseGathered();
        s.writeGathered();

        assertThat(s.gatheredCount()).isZero();
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
        return channel(FLUSH_NANOS);
    }

    private EmbeddedChannel channel(long flushNanos) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                ch.advanceTimeBy(flushNanos, TimeUnit.NANOSECONDS);
                ctx.flush();
            }
        });
        channels.add(ch);
        return ch;
    }

    private static Dispatcher subscribed(EmbeddedChannel ch, Duration flushDelay) throws Exception {
        Dispatcher d = dispatcher(ch, flushDelay);
        d.subscribe(subscriber(ch), d.resolve(null));
        ch.runPendingTasks();
        return d;
    }

    /** A dispatcher with {@link #DELAY} whose stream had its first event, {@code 0}, flushed at once: the next flush waits. */
    private static Dispatcher justFlushed(EmbeddedChannel ch) throws Exception {
        Dispatcher d = subscribed(ch, DELAY);
        publish(d, "0");
        ch.runPendingTasks();
        assertThat(sent(ch)).containsExactly("0");
        return d;
    }

    /** Lets {@link #DELAY} pass and runs the flush that was waiting for it. */
    private static void waitOutTheDelay(EmbeddedChannel ch) {
        ch.advanceTimeBy(DELAY.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }
}
