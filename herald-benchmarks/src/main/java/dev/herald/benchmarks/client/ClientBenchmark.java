package dev.herald.benchmarks.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Herald's EventSource client side by side with {@code com.launchdarkly:okhttp-eventsource}, in one run:
 *
 * <ul>
 *   <li><b>throughput</b>: events per second one client receives from a local server sending small
 *       events ({@value BenchServer#EVENT_BYTES} bytes) as fast as it can, plus events per CPU-second of
 *       the client process (steadier on a shared machine);
 *   <li><b>memory</b>: heap per open stream with {@value #DEFAULT_STREAMS} streams open to the same
 *       server, each having received one event: used heap after a full GC, before and after opening
 *       them, divided by their number.
 * </ul>
 *
 * <p>The server ({@link BenchServer}) runs in a process of its own, and every measurement in a fresh
 * client JVM with the same flags ({@value #CHILD_HEAP}), so that neither the server nor the other
 * library's classes, caches or garbage count. Throughput is measured {@value #ROUNDS} times per variant,
 * alternating variants, and the median is reported.
 *
 * <pre>
 * java -cp herald-benchmarks/target/benchmarks.jar dev.herald.benchmarks.client.ClientBenchmark [all|throughput|memory]
 * </pre>
 *
 * <p>Not thread-safe: a command-line program.
 */
public final class ClientBenchmark {

    static final int DEFAULT_STREAMS = 1000;
    static final int ROUNDS = 5;
    static final String CHILD_HEAP = "-Xms1g -Xmx1g -XX:+UseG1GC";
    private static final int WARMUP_SECONDS = 3;
    private static final int MEASURE_SECONDS = 5;

    private ClientBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        switch (mode) {
            case "throughput-child" -> throughputChild(Variant.valueOf(args[1]), Integer.parseInt(args[2]));
            case "memory-child" -> memoryChild(Variant.valueOf(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]));
            case "all", "throughput", "memory" -> orchestrate(mode, args.length > 1 ? Integer.parseInt(args[1])
                    : DEFAULT_STREAMS);
            default -> {
                System.err.println("usage: ClientBenchmark [all|throughput|memory] [streams]");
                System.exit(2);
            }
        }
    }

    private static void orchestrate(String mode, int streams) throws Exception {
        Path portFile = Files.createTempFile("herald-bench", ".port");
        Files.delete(portFile);
        Process server = java(List.of("-Xms512m", "-Xmx512m"), BenchServer.class, List.of(portFile.toString()))
                .inheritIO().start();
        try {
            int port = awaitPort(portFile);
            System.out.printf(Locale.ROOT, "JDK %s, %d cores; client JVMs: %s%n%n", System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), CHILD_HEAP);
            if (!mode.equals("memory")) {
                throughput(port);
            }
            if (!mode.equals("throughput")) {
                memory(port, streams);
            }
        } finally {
            server.destroy();
            Files.deleteIfExists(portFile);
        }
    }

    private static void throughput(int port) throws Exception {
        Variant[] variants = {Variant.HERALD, Variant.OKHTTP, Variant.HERALD_PULL, Variant.OKHTTP_PULL,
            Variant.HERALD_SMALL_BUFFERS};
        double[][] eventsPerSecond = new double[variants.length][ROUNDS];
        double[][] eventsPerCpuSecond = new double[variants.length][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int v = 0; v < variants.length; v++) {
                String[] result = child(variants[v], "throughput-child", Integer.toString(port));
                eventsPerSecond[v][round] = Double.parseDouble(result[0]);
                eventsPerCpuSecond[v][round] = Double.parseDouble(result[1]);
                System.out.printf(Locale.ROOT, "  round %d %-12s %,12.0f events/s %,12.0f events/CPU-s%n", round + 1,
                        variants[v].label, eventsPerSecond[v][round], eventsPerCpuSecond[v][round]);
            }
        }
        System.out.printf(Locale.ROOT, "%nThroughput, one stream, median of %d runs of %d s after %d s warm-up%n%n",
                ROUNDS, MEASURE_SECONDS, WARMUP_SECONDS);
        System.out.println("| client | API | events/s | events per client CPU-second |");
        System.out.println("| --- | --- | ---: | ---: |");
        for (int v = 0; v < variants.length; v++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %,.0f |%n", variants[v].library, variants[v].api,
                    median(eventsPerSecond[v]), median(eventsPerCpuSecond[v]));
        }
        System.out.println();
    }

    private static void memory(int port, int streams) throws Exception {
        Variant[] variants = {Variant.HERALD, Variant.OKHTTP, Variant.OKHTTP_SHARED_CLIENT,
            Variant.HERALD_SMALL_BUFFERS};
        System.out.printf(Locale.ROOT, "Heap per open stream, %d streams%n%n", streams);
        System.out.println("| client | setup | heap per stream | threads with the streams open |");
        System.out.println("| --- | --- | ---: | ---: |");
        for (Variant variant : variants) {
            String[] result = child(variant, "memory-child", Integer.toString(port), Integer.toString(streams));
            System.out.printf(Locale.ROOT, "| %s | %s | %,.0f bytes | %s |%n", variant.library, variant.api,
                    Double.parseDouble(result[0]), result[1]);
        }
        System.out.println();
    }

    private static void throughputChild(Variant variant, int port) throws Exception {
        LongAdder events = new LongAdder();
        CountDownLatch first = new CountDownLatch(1);
        try (AutoCloseable stream = variant.open(URI.create("http://127.0.0.1:" + port + "/fast"), events, first)) {
            if (!first.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no event within 10 s");
            }
            Thread.sleep(WARMUP_SECONDS * 1000L);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long count0 = events.sum();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(MEASURE_SECONDS * 1000L);
            long count1 = events.sum();
            long cpu1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            double perSecond = (count1 - count0) * 1e9 / (t1 - t0);
            double perCpuSecond = (count1 - count0) * 1e9 / (cpu1 - cpu0);
            System.out.printf(Locale.ROOT, "RESULT %.0f %.0f%n", perSecond, perCpuSecond);
        }
        System.exit(0); // okhttp-eventsource's non-daemon threads would keep the JVM alive
    }

    private static void memoryChild(Variant variant, int port, int streams) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/idle");
        LongAdder events = new LongAdder();
        // warm-up: classes, shared clients, pools and JIT, so that only per-stream memory is measured
        open(variant, uri, events, 20).forEach(ClientBenchmark::closeQuietly);
        Thread.sleep(500);
        long before = usedHeapAfterGc();
        List<AutoCloseable> open = open(variant, uri, events, streams);
        Thread.sleep(1000);
        long after = usedHeapAfterGc();
        int threads = Thread.activeCount();
        System.out.printf(Locale.ROOT, "RESULT %.1f %d%n", (after - before) / (double) streams, threads);
        open.forEach(ClientBenchmark::closeQuietly);
        System.exit(0);
    }

    /** Opens {@code n} streams and waits until each received its first event. */
    private static List<AutoCloseable> open(Variant variant, URI uri, LongAdder events, int n) throws Exception {
        CountDownLatch all = new CountDownLatch(n); // each stream counts down once, on its first event
        List<AutoCloseable> open = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            open.add(variant.open(uri, events, all));
        }
        if (!all.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(all.getCount() + " of " + n + " streams got no event within 60 s");
        }
        return open;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static String[] child(Variant variant, String mode, String... args) throws Exception {
        List<String> arguments = new ArrayList<>();
        arguments.add(mode);
        arguments.add(variant.name());
        arguments.addAll(Arrays.asList(args));
        List<String> flags = new ArrayList<>(Arrays.asList(CHILD_HEAP.split(" ")));
        if (!variant.jvmFlags.isEmpty()) {
            flags.add(variant.jvmFlags);
        }
        Process process = java(flags, ClientBenchmark.class, arguments)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null;) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                }
            }
        }
        if (!process.waitFor(5, TimeUnit.MINUTES) || result == null) {
            process.destroyForcibly();
            throw new IllegalStateException(mode + " " + variant + " gave no result");
        }
        return result.split(" ");
    }

    private static ProcessBuilder java(List<String> jvmFlags, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    private static int awaitPort(Path portFile) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.exists(portFile)) {
                return Integer.parseInt(Files.readString(portFile).trim());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the benchmark server did not start");
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
