package dev.herald.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ConflationBenchmark}'s subscribers: plain NIO sockets on one selector thread (so the client
 * takes little CPU), each parsing just enough SSE to check what it receives. A <em>slow</em> reader
 * takes at most {@code bytesPerSecond} (its receive buffer is small, so the hub soon sees it
 * congested); a fast one reads everything. Each checks that every key's values arrive in increasing
 * order and records how old each value is when read ({@code data} carries the publish time).
 *
 * <p>Not thread-safe: {@link #run} on one thread; the counters are read by others only as rough
 * progress, and exactly after {@link #stop}.
 */
final class DashboardClients implements Runnable {

    /** One subscriber's view. */
    static final class Dashboard {
        final boolean slow;
        final long[] lastOfKey;
        long events;
        long news;
        long outOfOrder;
        long lagSumMillis;
        long lagMaxMillis;
        long lagSamples;
        boolean ok;
        volatile boolean sawEnd;
        boolean closed;
        private final StringBuilder line = new StringBuilder(128);
        private final SocketChannel channel;
        private int headMatched;
        private boolean inHead = true;
        private long budget;

        Dashboard(SocketChannel channel, boolean slow, int keys) {
            this.channel = channel;
            this.slow = slow;
            this.lastOfKey = new long[keys];
            Arrays.fill(lastOfKey, -1);
        }

        void resetLag() {
            lagSumMillis = 0;
            lagMaxMillis = 0;
            lagSamples = 0;
        }

        private void feed(ByteBuffer buf, boolean measureLag) {
            while (buf.hasRemaining()) {
                char c = (char) (buf.get() & 0xFF);
                if (inHead) { // until the blank line ending the response head
                    line.append(c);
                    headMatched = (c == '\r' || c == '\n') ? headMatched + 1 : 0;
                    if (headMatched == 4) {
                        ok = line.toString().startsWith("HTTP/1.1 200");
                        inHead = false;
                        line.setLength(0);
                    }
                } else if (c == '\n') {
                    onLine(measureLag);
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }

        private void onLine(boolean measureLag) {
            if (line.length() < 6 || !line.substring(0, 6).equals("data: ")) {
                return;
            }
            String[] parts = line.substring(6).split(":");
            events++;
            long sentAt;
            if (parts[0].equals("news")) {
                news++;
                if (parts[1].equals("end")) {
                    sawEnd = true;
                }
                sentAt = Long.parseLong(parts[2]);
            } else {
                int key = Integer.parseInt(parts[0].substring(1));
                long n = Long.parseLong(parts[1]);
                if (n <= lastOfKey[key]) {
                    outOfOrder++;
                }
                lastOfKey[key] = n;
                sentAt = Long.parseLong(parts[2]);
            }
            if (measureLag) {
                long lag = Math.max(0, System.currentTimeMillis() - sentAt);
                lagSumMillis += lag;
                lagMaxMillis = Math.max(lagMaxMillis, lag);
                lagSamples++;
            }
        }
    }

    private static final long TICK_NANOS = 100_000_000L;

    private final Selector selector;
    private final List<Dashboard> dashboards = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final long slowBytesPerTick;
    private volatile boolean running = true;
    private volatile boolean slowReadFreely;
    private volatile boolean measureLag;

    DashboardClients(long slowBytesPerSecond) throws IOException {
        this.selector = Selector.open();
        this.slowBytesPerTick = Math.max(1, slowBytesPerSecond / 10);
    }

    /** Connects and sends the request; call before {@link #run}. */
    Dashboard open(InetSocketAddress hub, String pathAndQuery, boolean slow, int keys) throws IOException {
        SocketChannel ch = SocketChannel.open();
        if (slow) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // before connecting: a small window
        }
        ch.connect(hub);
        ch.write(ByteBuffer.wrap(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: hub\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        ch.configureBlocking(false);
        Dashboard d = new Dashboard(ch, slow, keys);
        d.budget = slowBytesPerTick;
        ch.register(selector, SelectionKey.OP_READ, d);
        dashboards.add(d);
        return d;
    }

    List<Dashboard> dashboards() {
        return dashboards;
    }

    /** From now on slow readers read everything (the end of the run: they catch up). */
    void letSlowReadersCatchUp() {
        slowReadFreely = true;
        selector.wakeup();
    }

    void measureLag(boolean on) {
        measureLag = on;
    }

    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        long nextTick = System.nanoTime() + TICK_NANOS;
        try {
            while (running) {
                selector.select(10);
                for (SelectionKey key : selector.selectedKeys()) {
                    read(key);
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextTick) {
                    nextTick += TICK_NANOS;
                    for (SelectionKey key : selector.keys()) { // slow readers: a new budget, reading again
                        Dashboard d = (Dashboard) key.attachment();
                        if (d.slow && key.isValid()) {
                            d.budget = slowBytesPerTick;
                            key.interestOps(SelectionKey.OP_READ);
                        }
                    }
                }
            }
            for (Dashboard d : dashboards) {
                d.channel.close();
            }
            selector.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read(SelectionKey key) throws IOException {
        Dashboard d = (Dashboard) key.attachment();
        boolean limited = d.slow && !slowReadFreely;
        buffer.clear();
        if (limited) {
            buffer.limit((int) Math.min(buffer.capacity(), d.budget));
        }
        int n;
        try {
            n = d.channel.read(buffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            d.closed = true;
            key.cancel();
            return;
        }
        buffer.flip();
        d.feed(buffer, measureLag);
        if (limited) {
            d.budget -= n;
            if (d.budget <= 0) {
                key.interestOps(0); // stop reading until the next tick
            }
        }
    }
}
