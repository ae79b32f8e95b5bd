package dev.herald.benchmarks.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Many slow dashboards on one hub: {@code subscribers} conflating streams (half capped with
 * {@code herald-max-rate}, half reading slowly with {@code herald-conflate=1}) follow one topic whose
 * {@code keys} conflation keys tick {@code ticks} times a second in total. Samples the hub process's
 * CPU (cores) and resident memory from {@code /proc}, and its heap and direct memory after a full GC,
 * every few seconds, to show they stay flat; at the end slow readers read freely, and every
 * dashboard's view is checked: the newest value of every key, no older value after a newer one,
 * every update without a key.
 *
 * <pre>
 * java -cp herald-benchmarks/target/benchmarks.jar dev.herald.benchmarks.load.ConflationBenchmark \
 *     [seconds=60] [subscribers=1000] [keys=100] [ticks=1000] [max-rate=10] [slow-bytes-per-second=2048]
 * </pre>
 * Runnable by hand only; never part of the unit tests.
 */
public final class ConflationBenchmark {

    private static final int SAMPLE_SECONDS = 5;
    private static final int CATCH_UP_SECONDS = 120;

    private ConflationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = arg(args, 0, 60);
        int subscribers = arg(args, 1, 1000);
        int keys = arg(args, 2, 100);
        int ticks = arg(args, 3, 1000);
        int maxRate = arg(args, 4, 10);
        int slowBytesPerSecond = arg(args, 5, 2048);
        if (!ProcSampler.isSupported()) {
            throw new IllegalStateException("needs Linux /proc");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), ConflationHubProcess.class.getName(),
                String.valueOf(port), String.valueOf(seconds), String.valueOf(ticks), String.valueOf(keys),
                String.valueOf(SAMPLE_SECONDS));
        Process hub = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the hub ended
            }
        }, "hub-output");
        reader.setDaemon(true);
        reader.start();
        OutputStream control = hub.getOutputStream();
        try {
            await(lines, "READY"::equals, 30);
            ProcSampler proc = new ProcSampler(List.of(hub.pid()), false);
            String query = "/.well-known/mercure?match=" + URLEncoder.encode(ConflationHubProcess.TOPIC, StandardCharsets.UTF_8);
            DashboardClients clients = new DashboardClients(slowBytesPerSecond);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < subscribers; i++) {
                boolean slow = i % 2 == 1;
                clients.open(address, query + (slow ? "&herald-conflate=1" : "&herald-max-rate=" + maxRate), slow, keys);
            }
            Thread clientThread = new Thread(clients, "dashboards");
            clientThread.start();
            long opened = System.nanoTime();
            while (clients.dashboards().stream().anyMatch(d -> !d.ok) && System.nanoTime() - opened < 30_000_000_000L) {
                Thread.sleep(50);
            }
            System.err.printf("%d dashboards subscribed; %d keys ticking %d/s for %d s (load average %s)%n",
                    subscribers, keys, ticks, seconds, loadAverage());
            control.write("go\n".getBytes(StandardCharsets.US_ASCII));
            control.flush();
            long start = System.nanoTime();
            clients.measureLag(true);

            List<String> rows = new ArrayList<>();
            ProcSampler.Sample before = proc.sample();
            long[] eventsBefore = eventsByKind(clients);
            String mem;
            while ((mem = poll(lines, l -> l.startsWith("MEM ") || l.startsWith("NEWEST "), seconds + 30)) != null
                    && mem.startsWith("MEM ")) {
                ProcSampler.Sample now = proc.sample();
                long[] events = eventsByKind(clients);
                String[] m = mem.split(" ");
                double interval = (now.nanoTime() - before.nanoTime()) / 1e9;
                rows.add(String.format("| %3.0f s | %.2f | %d MiB | %d MiB | %d MiB | %s | %,.0f | %,.0f | %s |",
                        (now.nanoTime() - start) / 1e9, now.coresSince(before), now.rssBytes() >> 20,
                        Long.parseLong(m[1]) >> 20, Long.parseLong(m[2]) >> 20, m[3],
                        (events[0] - eventsBefore[0]) / interval / (subscribers - subscribers / 2),
                        (events[1] - eventsBefore[1]) / interval / (subscribers / 2), m[5]));
                System.err.println(rows.get(rows.size() - 1));
                before = now;
                eventsBefore = events;
            }
            clients.measureLag(false);
            double publishedSeconds = (System.nanoTime() - start) / 1e9;
            long[] newest = mem == null ? new long[0] : Arrays.stream(mem.substring(7).split(",")).mapToLong(Long::parseLong).toArray();
            long news = Long.parseLong(await(lines, l -> l.startsWith("NEWS "), 10).substring(5));
            await(lines, "DONE"::equals, 10);
            String lag = lagSummary(clients);
            clients.letSlowReadersCatchUp();
            long catchUpStart = System.nanoTime();
            while (clients.dashboards().stream().anyMatch(d -> !d.sawEnd && !d.closed)
                    && System.nanoTime() - catchUpStart < CATCH_UP_SECONDS * 1_000_000_000L) {
                Thread.sleep(100);
            }
            long catchUpMillis = (System.nanoTime() - catchUpStart) / 1_000_000;
            Thread.sleep(500);
            clients.stop();
            clientThread.join();

            System.out.println();
            System.out.printf("%d dashboards (%d capped at %d/s, %d reading %d bytes/s with herald-conflate=1), "
                            + "%d keys, %d ticks/s, %d s; load average at the end %s%n", subscribers,
                    subscribers - subscribers / 2, maxRate, subscribers / 2, slowBytesPerSecond, keys, ticks, seconds,
                    loadAverage());
            System.out.printf("The hub process published %,d updates with a key in %.0f s (%,.0f/s; a starved machine"
                    + " makes it fall behind its schedule).%n", (long) seconds * ticks, publishedSeconds,
                    seconds * ticks / publishedSeconds);
            System.out.println();
            System.out.println("| time | hub CPU (cores) | hub RSS | heap after GC | direct | streams | events/s per capped "
                    + "dashboard | events/s per slow dashboard | slow disconnects |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println(lag);
            System.out.printf("Then slow dashboards read freely: %d/%d dashboards had the last update %d ms later.%n",
                    clients.dashboards().stream().filter(d -> d.sawEnd).count(), subscribers, catchUpMillis);
            System.out.println(verdict(clients, newest, news));
        } finally {
            try {
                control.write("quit\n".getBytes(StandardCharsets.US_ASCII));
                control.flush();
            } catch (Exception ignored) {
                // already gone
            }
            if (!hub.waitFor(10, TimeUnit.SECONDS)) {
                hub.destroy();
            }
        }
    }

    /** Events received so far by capped [0] and slow [1] dashboards. */
    private static long[] eventsByKind(DashboardClients clients) {
        long[] sum = new long[2];
        for (DashboardClients.Dashboard d : clients.dashboards()) {
            sum[d.slow ? 1 : 0] += d.events;
        }
        return sum;
    }

    private static String lagSummary(DashboardClients clients) {
        StringBuilder out = new StringBuilder("Age of values when read, during the run: ");
        for (boolean slow : new boolean[] {false, true}) {
            long sum = 0;
            long samples = 0;
            long max = 0;
            for (DashboardClients.Dashboard d : clients.dashboards()) {
                if (d.slow == slow) {
                    sum += d.lagSumMillis;
                    samples += d.lagSamples;
                    max = Math.max(max, d.lagMaxMillis);
                }
            }
            out.append(slow ? "; slow dashboards " : "capped dashboards ")
                    .append(String.format("mean %d ms, max %d ms", samples == 0 ? 0 : sum / samples, max));
        }
        return out.append('.').toString();
    }

    private static String verdict(DashboardClients clients, long[] newest, long news) {
        return verdict(clients, newest, news, false) + "\n" + verdict(clients, newest, news, true);
    }

    private static String verdict(DashboardClients clients, long[] newest, long news, boolean slow) {
        int current = 0;
        int allNews = 0;
        int closed = 0;
        long outOfOrder = 0;
        long minEvents = Long.MAX_VALUE;
        long maxEvents = 0;
        int n = 0;
        for (DashboardClients.Dashboard d : clients.dashboards()) {
            if (d.slow != slow) {
                continue;
            }
            n++;
            if (Arrays.equals(d.lastOfKey, newest)) {
                current++;
            }
            if (d.news == news) {
                allNews++;
            }
            if (d.closed) {
                closed++;
            }
            outOfOrder += d.outOfOrder;
            minEvents = Math.min(minEvents, d.events);
            maxEvents = Math.max(maxEvents, d.events);
        }
        return String.format((slow ? "Slow" : "Capped") + " dashboards after the catch-up: %d/%d hold the newest value of every key, %d/%d got all "
                        + "%d updates without a key, %d older-after-newer values, %d streams closed by the hub; "
                        + "events per dashboard %,d to %,d.", current, n, allNews, n, news, outOfOrder, closed,
                minEvents, maxEvents);
    }

    private static String await(BlockingQueue<String> lines, Predicate<String> match, int seconds) throws InterruptedException {
        String line = poll(lines, match, seconds);
        if (line == null) {
            throw new IllegalStateException("the hub process did not answer within " + seconds + " s");
        }
        return line;
    }

    private static String poll(BlockingQueue<String> lines, Predicate<String> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || match.test(line)) {
                return line;
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
