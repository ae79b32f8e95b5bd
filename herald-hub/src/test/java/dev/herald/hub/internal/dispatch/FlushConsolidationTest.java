package dev.herald.hub.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.Hub;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicMatchers;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flush consolidation and drain slices in {@link LoopDispatcher}. Consolidation is observed on an
 * {@link EmbeddedChannel} whose loop runs on a controlled clock: an embedded channel hands a write to
 * its outbound queue only when it is flushed, so the queue shows exactly which events a flush sent.
 * Slices are observed on a real loop, which (unlike an embedded one) never runs tasks inside a write.
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
    void fanOutLongerThanASliceLetsWorkQueuedBehindItRunBetweenSlicesAndDeliversEverything() throws Exception {
        // a real loop (in-VM channels): as many streams as one slice writes, so each event is a slice
        int streams = LoopDispatcher.MAX_WRITES_PER_SLICE;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            LocalAddress address = new LocalAddress("flush-consolidation-" + System.nanoTime());
            List<Channel> accepted = Collections.synchronizedList(new ArrayList<>());
            new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.add(ch);
                        }
                    }).bind(address).sync();
            Bootstrap client = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new Discard());
            for (int i = 0; i < streams; i++) {
                client.connect(address).sync();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == streams);
            Stats stats = new Stats();
            Dispatcher d = new Dispatcher(group, new MemoryHistoryStore(100), Runnable::run, limits(Duration.ZERO), stats);
            d.start();
            EventLoop loop = group.next();
            List<TopicMatcher> matchers = List.of(matcher());
            loop.submit(() -> {
                for (Channel ch : accepted) {
                    d.subscribe(new Subscriber(ch, false, matchers, SubscriberAccess.ANONYMOUS), d.resolve(null));
                }
            }).sync();

            long[] deliveredWhenQueuedWorkRan = {-1};
            loop.submit(() -> {
                publish(d, "a");
                publish(d, "b");
                publish(d, "c");
                loop.execute(() -> deliveredWhenQueuedWorkRan[0] = stats.deliveredCount());
            }).sync();

            await().atMost(Duration.ofSeconds(30)).until(() -> stats.deliveredCount() == 3L * streams);
            assertThat(loop.submit(() -> deliveredWhenQueuedWorkRan[0]).get())
                    .as("a task queued behind the fan-out ran after its first slice, not after all of it")
                    .isEqualTo(streams);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void negativeFlushDelayIsRefusedWithItsReason() {
        assertThatThrownBy(() -> Hub.builder().flushDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("flushDelay: PT-0.001S (expected: >= 0)");
        assertThatThrownBy(() -> limits(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Hub.builder().flushDelay(Duration.ZERO)).isNotNull();
    }

    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
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
                new Stats());
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
