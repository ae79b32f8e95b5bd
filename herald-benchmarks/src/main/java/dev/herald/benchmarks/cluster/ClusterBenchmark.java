package dev.herald.benchmarks.cluster;

import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Herald as a cluster on Redis next to a single hub, in one run on one machine: publish-to-receive
 * latency (p50/p99/p99.9) at a paced rate, and deliveries per second with closed-loop publishers.
 *
 * <p>Starts its own {@code redis-server} (from the PATH, on a free loopback port, no persistence:
 * Redis keeps the stream in memory, as a production Redis with an append-only file synced every
 * second does between syncs), three hubs sharing it and one hub of its own with the default SQLite
 * history and one with the memory history, all in this JVM. Publishers post over HTTP round-robin
 * to the target's hubs; subscribers are spread evenly over them and each timestamps what it reads.
 * An update's data is the time it was scheduled, so a late publish counts against its latency (no
 * coordinated omission).
 *
 * <pre>{@code
 * ./mvnw -q -o package -DskipTests -pl herald-benchmarks -am
 * java -cp herald-benchmarks/target/benchmarks.jar dev.herald.benchmarks.cluster.ClusterBenchmark [seconds [rate [subscribers]]]
 * }</pre>
 *
 * <p>Not thread-safe; a program.
 */
public final class ClusterBenchmark {

    static final String TOPIC = "https://example.com/cluster-bench";
    static final String KEY = "bench-publisher-key-0123456789-abcdefghijklmnop";
    static final String ISSUER = "herald-bench";
    static final String AUDIENCE = "herald-bench";
    static final int NODES = 3;
    static final int PUBLISHERS = 8;

    private ClusterBenchmark() {
    }

    /** What is measured: one or several hubs, which publishers and subscribers spread over. */
    record Target(String name, List<Hub> hubs) {
        List<URI> urls() {
            return hubs.stream().map(Hub::url).toList();
        }
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int subscribers = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String token = dev.herald.benchmarks.BenchTokens.publisher(KEY, ISSUER, AUDIENCE);
        List<String> latencyRows = new ArrayList<>();
        List<String> throughputRows = new ArrayList<>();
        java.nio.file.Path dataDirs = java.nio.file.Files.createTempDirectory("herald-cluster-bench-");
        try (BenchRedis redis = BenchRedis.start()) {
            List<Hub> all = new ArrayList<>();
            try {
                List<Hub> nodes = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    nodes.add(start(b -> b.transport(redis.uri()), dataDirs, all));
                }
                List<Target> targets = List.of(
                        new Target("single hub, sqlite history (default)", List.of(start(b -> { }, dataDirs, all))),
                        new Target("single hub, memory history", List.of(start(b -> b.history(HistoryKind.MEMORY), dataDirs, all))),
                        new Target(NODES + " hubs on Redis", nodes));
                for (Target t : targets) { // JIT warm-up of every path before anything is measured
                    System.err.printf("%s: warm-up...%n", t.name());
                    try (Subscribers s = Subscribers.open(t, subscribers)) {
                        LatencyRun.paced(t.urls(), token, rate, Duration.ofSeconds(5));
                        LatencyRun.closedLoop(t.urls(), token, PUBLISHERS, Duration.ofSeconds(3));
                    }
                }
                for (Target t : targets) {
                    try (Subscribers s = Subscribers.open(t, subscribers)) {
                        System.err.printf("%s: paced at %d/s, %d subscribers, %s...%n", t.name(), rate, subscribers,
                                measure);
                        s.reset();
                        LatencyRun.Result paced = LatencyRun.paced(t.urls(), token, rate, measure);
                        latencyRows.add(String.format("| %s | %d | %d/s | %s | %s | %s | %s |", t.name(), subscribers,
                                rate, ms(s.latencyMicros(50)), ms(s.latencyMicros(99)), ms(s.latencyMicros(99.9)),
                                paced.errors() == 0 ? "" : paced.errors() + " publish errors"));
                        System.err.println(latencyRows.get(latencyRows.size() - 1));
                        System.err.printf("%s: closed loop, %d publishers...%n", t.name(), PUBLISHERS);
                        s.reset();
                        long t0 = System.nanoTime();
                        LatencyRun.Result max = LatencyRun.closedLoop(t.urls(), token, PUBLISHERS, measure);
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        throughputRows.add(String.format("| %s | %d | %,.0f | %,.0f | %s |", t.name(), subscribers,
                                max.acknowledged() / seconds, s.delivered() / seconds,
                                max.errors() == 0 ? "" : max.errors() + " publish errors"));
                        System.err.println(throughputRows.get(throughputRows.size() - 1));
                    }
                }
            } finally {
                all.forEach(Hub::close);
            }
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dataDirs)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println();
        System.out.println("| target | subscribers | publishes | p50 | p99 | p99.9 | |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        latencyRows.forEach(System.out::println);
        System.out.println();
        System.out.println("| target | subscribers | publishes/s (" + PUBLISHERS + " closed-loop publishers) | deliveries/s | |");
        System.out.println("|---|---:|---:|---:|---|");
        throughputRows.forEach(System.out::println);
        System.out.println();
        System.out.printf("load average at the end: %s%n", java.nio.file.Files.readString(
                java.nio.file.Path.of("/proc/loadavg")).strip());
    }

    private static Hub start(Consumer<Hub.Builder> configure, java.nio.file.Path dataDirs, List<Hub> all) {
        Hub.Builder b = Hub.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .dataDir(dataDirs.resolve("hub-" + all.size()))
                .jwtIssuer(ISSUER)
                .jwtAudience(AUDIENCE)
                .publisherJwtKey(KEY)
                .anonymous(true)
                .eventLoopThreads(2)
                .ui(false);
        configure.accept(b);
        Hub hub = b.build().start();
        all.add(hub);
        return hub;
    }

    private static String ms(double micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }
}
