package dev.herald.hub.internal.dispatch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A conflating subscriber on an {@link EmbeddedChannel} whose "client" reads exactly as much as a
 * test allows, with a mock clock for the rate cap. A test runs a script of space-separated steps:
 * <ul>
 *   <li>{@code a:7} — the update of sequence 7 with key {@code a} ({@code _:7}: without a key)</li>
 *   <li>{@code read:N} — the client takes N more frames, then stops; {@code read:all} — it keeps reading</li>
 *   <li>{@code +100ms} — time passes (rate timers fire)</li>
 * </ul>
 * and {@link #written()} lists what reached the client, as {@code key:sequence} tokens.
 */
final class ConflatedStream {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).build();
    private final Subscriber subscriber;
    private final Stats stats = new Stats();
    private final List<ByteBuf> frames = new ArrayList<>();
    private final List<String> written = new ArrayList<>();
    private long budget = Long.MAX_VALUE;

    ConflatedStream(double maxRate, int maxKeys) {
        // the client: a frame is taken only while the budget lasts; then the channel stays unwritable
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (--budget <= 0) {
                    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
                }
                ctx.write(msg, promise);
            }
        });
        subscriber = new Subscriber(channel, false, List.of(), SubscriberAccess.ANONYMOUS,
                new ConflationOptions(maxRate, maxKeys));
        subscriber.conflation.start(stats);
    }

    /** Runs {@code script}; returns this. */
    ConflatedStream run(String script) {
        for (String step : script.trim().split("\\s+")) {
            if (step.isEmpty()) {
                continue;
            }
            if (step.startsWith("read:")) {
                String n = step.substring(5);
                read(n.equals("all") ? Long.MAX_VALUE : Long.parseLong(n));
            } else if (step.startsWith("+") && step.endsWith("ms")) {
                ticker.advance(Long.parseLong(step.substring(1, step.length() - 2)), TimeUnit.MILLISECONDS);
                channel.runScheduledPendingTasks();
                collect();
            } else {
                int colon = step.indexOf(':');
                String key = step.substring(0, colon);
                offer(Long.parseLong(step.substring(colon + 1)), key.equals("_") ? null : key);
            }
        }
        return this;
    }

    /** The update {@code sequence} with {@code key} ({@code null}: none), as the loop dispatcher offers it. */
    void offer(long sequence, String key) {
        ByteBuf shared = Unpooled.directBuffer().writeBytes(
                ((key == null ? "_" : key) + ":" + sequence + "\n").getBytes(StandardCharsets.US_ASCII));
        frames.add(shared);
        if (subscriber.conflation.offer(sequence, key, shared, System.nanoTime())) {
            channel.flush();
        }
        shared.release(); // the dispatcher's own reference: the conflation holds a duplicate if it needs one
        collect();
    }

    /** Lets the client take {@code frames} more frames (and the hub write again). */
    void read(long frames) {
        budget = frames;
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, frames > 0);
        channel.runPendingTasks(); // the writability change event
        collect();
    }

    void advance(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        collect();
    }

    /** What reached the client, in order, as {@code key:sequence} ({@code _} for no key). */
    List<String> written() {
        return written;
    }

    String writtenText() {
        return String.join(" ", written);
    }

    Conflation conflation() {
        return subscriber.conflation;
    }

    Stats stats() {
        return stats;
    }

    /** Closes the stream and says whether every frame offered was released (nothing leaked). */
    boolean closeAndCheckReleased() {
        subscriber.conflation.close();
        channel.finishAndReleaseAll();
        return frames.stream().allMatch(f -> f.refCnt() == 0);
    }

    private void collect() {
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            for (String line : b.toString(StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isEmpty()) {
                    written.add(line);
                }
            }
            b.release();
        }
    }
}
