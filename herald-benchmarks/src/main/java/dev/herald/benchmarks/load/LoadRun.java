package dev.herald.benchmarks.load;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs one workload ({@link BenchConfig}) as the coordinator: starts the subscriber worker
 * processes, waits for their connections, reads the server's idle memory, then (when publishing)
 * warms up, measures a window, drains, and collects the workers' reports into a {@link RunResult}.
 * Every phase is bounded in time; the workers are stopped whatever happens.
 *
 * <p>Phases: {@code connect} (until all connections settled or the connect timeout), {@code settle}
 * (idle; then the idle memory reading), {@code warmup}, {@code window} (the measurement), {@code drain}
 * (until the window's events have all arrived, they stop arriving, or the drain limit).
 *
 * <p>Not thread-safe: one run per instance, driven by one thread.
 */
final class LoadRun {

    static final Duration TICK = Duration.ofSeconds(1);
    /** Without a terminal, a progress line every this many ticks. */
    static final int NON_TTY_TICKS_PER_LINE = 5;
    static final Duration PUBLISHER_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(15);
    static final Duration QUIET_TIMEOUT = Duration.ofSeconds(5);
    /** The drain ends early when no event of the window arrived for this long. */
    static final Duration DRAIN_STALL = Duration.ofSeconds(3);
    /** Added to the phases' sum for the workers' self-destruct deadline. */
    static final Duration DEADLINE_SLACK = Duration.ofMinutes(2);
    /** The first automatic source address (127.0.0.1 is left to the publisher and everything else). */
    static final String FIRST_AUTO_SOURCE_IP = "127.0.0.2";
    /**
     * Connections per automatic source address: well under the per-client-address limits servers
     * set (Herald's default is 10,000), and under the ephemeral ports one address has.
     */
    static final int AUTO_CONNECTIONS_PER_SOURCE_IP = 5000;
    /** The window opens this far in publish time after it is announced, so every worker knows it in time. */
    static final double WINDOW_MARGIN_SECONDS = 0.2;

    private final BenchConfig c;
    private final PrintStream progress;
    private final boolean tty;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final Histogram interval = Histograms.newHistogram();
    private final ProcSampler server;
    private final List<RunResult.Point> series = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Given server processes found gone, each noted once. */
    private final Set<Long> goneServers = new LinkedHashSet<>();
    private ProcSampler generator;
    private Publisher publisher;
    private MultiThreadIoEventLoopGroup publisherGroup;
    private String phase = "start";
    private long startNanos;
    private long lastTickNanos;
    private long lastEvents;
    private long lastPublished;
    private ProcSampler.Sample lastServer;
    private long rssMax = -1;
    private int ticks;

    LoadRun(BenchConfig config, PrintStream progress, boolean tty) {
        this.c = config;
        this.progress = progress;
        this.tty = tty;
        this.server = config.serverPids().isEmpty() ? null : new ProcSampler(config.serverPids(), config.serverChildren());
    }

    RunResult run() throws IOException, InterruptedException {
        startNanos = System.nanoTime();
        Thread hook = new Thread(() -> workers.forEach(WorkerProcess::kill), "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return measure();
        } finally {
            if (publisher != null) {
                publisher.close();
            }
            if (publisherGroup != null) {
                publisherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
            }
            for (WorkerProcess w : workers) {
                w.close();
            }
            endLine();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }

    private RunResult measure() throws IOException, InterruptedException {
        ProcSampler.Sample baseline = sampleServer();
        lastServer = baseline;
        startWorkers();

        phase = "connect";
        long connectStart = System.nanoTime();
        long deadline = connectStart + c.connectTimeout().toNanos();
        Totals t = totals();
        while (System.nanoTime() < deadline && t.connected + t.failed < c.subscribers()) {
            sleepTicks(Math.min(TICK.toNanos(), deadline - System.nanoTime()));
            t = totals();
            if (workers.stream().noneMatch(WorkerProcess::isAlive)) {
                throw new IllegalStateException("every worker process exited; see the messages above");
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        if (t.connected + t.failed < c.subscribers()) {
            notes.add("connect timeout: " + (c.subscribers() - t.connected - t.failed) + " attempts unfinished after "
                    + c.connectTimeout().toSeconds() + " s");
        }
        if (t.failed > 0) {
            notes.add(t.failed + " subscriber connections failed (the workers printed the first reason)");
        }

        phase = "settle";
        ProcSampler.Sample gen0 = generator.sample();
        ProcSampler.Sample settle0 = sampleServer();
        sleepTicks(c.settle().toNanos());
        ProcSampler.Sample idle = sampleServer();
        ProcSampler.Sample gen1 = generator.sample();
        t = totals();
        long held = t.connected - t.dropped;
        RunResult.Connections connections = new RunResult.Connections(c.subscribers(), held, t.failed, t.dropped,
                workers.size(), c.workerThreads(), connectSeconds);
        RunResult.Memory memory = null;
        if (idle != null) {
            memory = new RunResult.Memory(baseline.rssBytes(), idle.rssBytes(), perSubscriber(baseline, idle, held),
                    baseline.rssByPid(), idle.rssByPid());
        }
        if (!c.publishes()) {
            RunResult.Server srv = idle == null ? null
                    : new RunResult.Server(cores(settle0, idle), -1, settle0.rssBytes(), idle.rssBytes(), rssMax);
            return new RunResult(c.label(), name(), urls(), Net.name(), connections, memory, null, null, srv,
                    gen1.coresSince(gen0), series, notes);
        }

        publisherGroup = Net.newGroup(1, "bench-pub");
        publisher = new Publisher(publisherGroup, c.target(), c.urls().get(0), c.topic(), c.token(), c.publishers(),
                c.rate(), c.dataBytes());
        publisher.connect(PUBLISHER_CONNECT_TIMEOUT);
        phase = "warmup";
        long warmStart = System.nanoTime();
        publisher.start();
        sleepTicks(c.warmup().toNanos());

        double rateSoFar = Double.isInfinite(c.rate())
                ? publisher.counts().sent() / Math.max(1e-3, (System.nanoTime() - warmStart) / 1e9) : c.rate();
        long from = publisher.openWindow((long) Math.ceil(rateSoFar * WINDOW_MARGIN_SECONDS) + 1);
        for (WorkerProcess w : workers) {
            w.send("window-open " + from);
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (publisher.nextSequence() < from && System.nanoTime() < waitUntil) {
            Thread.sleep(1);
        }
        phase = "window";
        long heldAtOpen = totals().held();
        ProcSampler.Sample s0 = sampleServer();
        ProcSampler.Sample g0 = generator.sample();
        long t0 = System.nanoTime();
        for (WorkerProcess w : workers) {
            w.send("arrivals-start");
        }
        sleepTicks(c.duration().toNanos());
        long to = publisher.stop();
        long t1 = System.nanoTime();
        ProcSampler.Sample s1 = sampleServer();
        ProcSampler.Sample g1 = generator.sample();
        for (WorkerProcess w : workers) {
            w.send("window-close " + to);
        }
        if (!publisher.awaitQuiet(QUIET_TIMEOUT)) {
            notes.add("publish requests still unanswered " + QUIET_TIMEOUT.toSeconds() + " s after the window");
        }
        Publisher.Counts pc = publisher.counts();
        double windowSeconds = (t1 - t0) / 1e9;
        long expected = pc.okInWindow() * heldAtOpen;

        phase = "drain";
        long drainStart = System.nanoTime();
        long drainDeadline = drainStart + c.drain().toNanos();
        long lastReceived = -1;
        long lastChange = drainStart;
        long received = totals().windowReceived;
        while (received < expected && System.nanoTime() < drainDeadline
                && System.nanoTime() - lastChange < DRAIN_STALL.toNanos()) {
            sleepTicks(Math.min(TICK.toNanos(), drainDeadline - System.nanoTime()));
            received = totals().windowReceived;
            if (received != lastReceived) {
                lastReceived = received;
                lastChange = System.nanoTime();
            }
        }
        double drainSeconds = (lastChange - drainStart) / 1e9;

        Histogram latency = Histograms.newHistogram();
        long receivedTotal = 0;
        long arrivals = 0;
        for (WorkerProcess w : workers) {
            WorkerReport r = w.report(REPORT_TIMEOUT);
            if (r == null) {
                notes.add("worker " + w.id() + " sent no report (its counts are missing)");
                continue;
            }
            latency.add(r.latency());
            receivedTotal += r.windowReceived();
            arrivals += r.windowArrivals();
        }
        RunResult.Delivery delivery = new RunResult.Delivery(windowSeconds, expected, receivedTotal, arrivals,
                arrivals / windowSeconds, latency, drainSeconds);
        if (delivery.lost() > 0) {
            notes.add(delivery.lost() + " of " + expected + " expected deliveries did not arrive (dropped connections: "
                    + totals().dropped + ")");
        }
        if (pc.firstError() != null) {
            notes.add("publisher: " + pc.errors() + " errors, first: " + pc.firstError());
        }
        RunResult.Publishing publishing = new RunResult.Publishing(c.rate(), pc.sent(), pc.okInWindow(), pc.errors(),
                pc.okInWindow() / windowSeconds, pc.maxBehind(), pc.rtt(), pc.firstError());
        RunResult.Server srv = null;
        if (s0 != null) {
            double cpuMicros = (s1.cpuNanos() - s0.cpuNanos()) / 1000.0;
            double cores = cores(s0, s1);
            srv = new RunResult.Server(cores, arrivals == 0 || cores < 0 ? -1 : cpuMicros / arrivals, s0.rssBytes(),
                    s1.rssBytes(), rssMax);
        }
        return new RunResult(c.label(), name(), urls(), Net.name(), connections, memory, publishing, delivery, srv,
                g1.coresSince(g0), series, notes);
    }

    private String name() {
        return c.target().name().toLowerCase(Locale.ROOT);
    }

    private List<String> urls() {
        return c.urls().stream().map(URI::toString).toList();
    }

    /**
     * The servers' idle resident memory per held subscriber, summed over the server processes, or -1
     * when there is none or a process had gone by the idle reading: the sum then lacks a process
     * the baseline had, and the difference would be meaningless (even negative).
     */
    static double perSubscriber(ProcSampler.Sample baseline, ProcSampler.Sample idle, long held) {
        if (held <= 0 || !baseline.missing().isEmpty() || !idle.missing().isEmpty()) {
            return -1;
        }
        return (double) (idle.rssBytes() - baseline.rssBytes()) / held;
    }

    /** CPU cores the servers used between two readings, or -1 when a process had gone by either. */
    static double cores(ProcSampler.Sample from, ProcSampler.Sample to) {
        return from.missing().isEmpty() && to.missing().isEmpty() ? to.coresSince(from) : -1;
    }

    private ProcSampler.Sample sampleServer() {
        if (server == null) {
            return null;
        }
        ProcSampler.Sample s = server.sample();
        if (s.processes() == 0) {
            throw new IllegalStateException("server process " + c.serverPids() + " not found in /proc");
        }
        for (long pid : s.missing()) {
            if (goneServers.add(pid)) {
                notes.add("server process " + pid + " ended (phase " + phase + "); later sums of server RSS and CPU "
                        + "leave it out, so the per-subscriber and CPU figures from then on are not given");
            }
        }
        rssMax = Math.max(rssMax, s.rssBytes());
        return s;
    }

    private void startWorkers() throws IOException {
        int n = c.workerCount();
        long phases = c.connectTimeout().plus(c.settle()).plus(c.warmup()).plus(c.duration()).plus(c.drain())
                .plus(DEADLINE_SLACK).toMillis();
        long deadline = System.currentTimeMillis() + phases;
        List<URI> subscribe = c.urls().stream().map(u -> c.target().subscribeUri(u, c.topic())).toList();
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WorkerSpec spec = new WorkerSpec(i, c.subscribersOf(i), c.workerThreads(), c.connectConcurrency(),
                    sourceIpsOf(i, n), deadline, subscribe);
            WorkerProcess w = WorkerProcess.start(spec, c.workerJvmOptions(), this::addInterval);
            workers.add(w);
            pids.add(w.pid());
        }
        generator = new ProcSampler(pids, false);
    }

    /** The source addresses of worker {@code index} of {@code n}. */
    List<String> sourceIpsOf(int index, int n) {
        List<String> ips = c.sourceIps();
        if (ips.equals(List.of(BenchConfig.AUTO))) {
            if (!isLoopbackV4(c.urls().get(0).getHost())) {
                return List.of();
            }
            long first = BenchArgs.parseIpv4(FIRST_AUTO_SOURCE_IP);
            for (int w = 0; w < index; w++) {
                first += ipsFor(c.subscribersOf(w));
            }
            List<String> mine = new ArrayList<>();
            for (int k = 0; k < ipsFor(c.subscribersOf(index)); k++) {
                mine.add(BenchArgs.formatIpv4(first + k));
            }
            return mine;
        }
        if (ips.isEmpty()) {
            return List.of();
        }
        List<String> mine = new ArrayList<>();
        for (int j = index; j < ips.size(); j += n) {
            mine.add(ips.get(j));
        }
        return mine.isEmpty() ? List.of(ips.get(index % ips.size())) : mine;
    }

    /** Automatic source addresses for {@code connections}: at most {@link #AUTO_CONNECTIONS_PER_SOURCE_IP} each. */
    static int ipsFor(int connections) {
        return Math.max(1, (connections + AUTO_CONNECTIONS_PER_SOURCE_IP - 1) / AUTO_CONNECTIONS_PER_SOURCE_IP);
    }

    private static boolean isLoopbackV4(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() && a.getAddress().length == 4;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void addInterval(Histogram h) {
        synchronized (interval) {
            interval.add(h);
        }
    }

    /** Sleeps {@code nanos}, ticking (progress, series) every {@link #TICK}. */
    private void sleepTicks(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        while (true) {
            long now = System.nanoTime();
            if (now - lastTickNanos >= TICK.toNanos()) {
                tick(now);
            }
            long next = Math.min(end, lastTickNanos + TICK.toNanos());
            if (now >= end) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, next - now));
        }
    }

    private void tick(long now) {
        double secs = lastTickNanos == 0 ? 0 : (now - lastTickNanos) / 1e9;
        lastTickNanos = now;
        ticks++;
        Totals t = totals();
        double eps = secs == 0 ? 0 : (t.events - lastEvents) / secs;
        lastEvents = t.events;
        double p99;
        synchronized (interval) {
            p99 = interval.getTotalCount() == 0 ? -1 : interval.getValueAtPercentile(99);
            interval.reset();
        }
        long rss = -1;
        double cores = -1;
        if (server != null) {
            ProcSampler.Sample s = sampleServer();
            if (lastServer != null) {
                cores = s.coresSince(lastServer);
            }
            lastServer = s;
            rss = s.rssBytes();
        }
        double pubRate = 0;
        if (publisher != null) {
            long pub = publisher.counts().ok();
            pubRate = secs == 0 ? 0 : (pub - lastPublished) / secs;
            lastPublished = pub;
        }
        double elapsed = (now - startNanos) / 1e9;
        series.add(new RunResult.Point(Math.round(elapsed * 10) / 10.0, phase, t.held(), Math.round(eps), rss,
                Math.round(cores * 1000) / 1000.0));
        if (c.quiet() || (!tty && ticks % NON_TTY_TICKS_PER_LINE != 0)) {
            return;
        }
        String line = String.format(Locale.ROOT, "[%5.0fs] %-7s held %,d/%,d%s  events %,.0f/s  p99 %s  pub %,.0f/s%s",
                elapsed, phase, t.held(), c.subscribers(), t.failed + t.dropped > 0
                        ? " (failed " + t.failed + ", dropped " + t.dropped + ")" : "",
                eps, p99 < 0 ? "-" : Report.micros(p99), pubRate,
                server == null ? "" : String.format(Locale.ROOT, "  server %.2f cores %s", Math.max(0, cores), Report.bytes(rss)));
        if (tty) {
            progress.print("\r" + line + "\033[K");
        } else {
            progress.println(line);
        }
        progress.flush();
    }

    private void endLine() {
        if (tty && !c.quiet()) {
            progress.println();
        }
    }

    private Totals totals() {
        Totals t = new Totals();
        for (WorkerProcess w : workers) {
            WorkerReport s = w.status();
            if (s != null) {
                t.connected += s.connected();
                t.failed += s.failed();
                t.dropped += s.dropped();
                t.events += s.events();
                t.windowReceived += s.windowReceived();
            }
        }
        return t;
    }

    /** Sums of the workers' latest statuses. */
    private static final class Totals {
        long connected;
        long failed;
        long dropped;
        long events;
        long windowReceived;

        long held() {
            return connected - dropped;
        }
    }
}
