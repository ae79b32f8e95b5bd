package dev.herald.benchmarks.history;

import com.nimbusds.jose.JOSEException;
import dev.herald.hub.Durability;
import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import dev.herald.hub.Update;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Publish throughput and latency with the durable history (SQLite, batch and fsync) next to the
 * in-memory one, in one run on one machine, and the time to replay 100,000 events to one subscriber.
 *
 * <p>Each variant gets a fresh in-process hub (default settings, its own temporary data directory).
 * Publishers: {@value #PUBLISHERS} keep-alive HTTP/1.1 connections posting 64-byte updates with a
 * publisher token. Measured: closed-loop throughput (acknowledged publishes per second) with its
 * p50/p99, then latency at a paced {@value #PACED_RATE} publishes per second. Replay: 100,000
 * updates published in-process, then one {@code earliest} subscriber timed to the last event.
 *
 * <pre>{@code
 * ./mvnw -q -o install -DskipTests -pl herald-sse,herald-client,herald-hub
 * ./mvnw -q -o package -DskipTests -pl herald-benchmarks
 * java -cp herald-benchmarks/target/benchmarks.jar dev.herald.benchmarks.history.DurableHistoryBenchmark [seconds [batch,fsync,memory]]
 * }</pre>
 *
 * <p>Not thread-safe; a program.
 */
public final class DurableHistoryBenchmark {

    static final int PUBLISHERS = 16;
    static final int DATA_BYTES = 64;
    static final int PACED_RATE = 5_000;
    static final int REPLAY_EVENTS = 100_000;
    static final String TOPIC = "https://example.com/bench";
    static final String KEY = "bench-publisher-key-0123456789-abcdefghijklmnop";
    static final String ISSUER = "herald-bench";
    static final String AUDIENCE = "herald-bench";

    private DurableHistoryBenchmark() {
    }

    private record Variant(String name, HistoryKind kind, Durability durability) {
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        Duration warmup = Duration.ofSeconds(3);
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("sqlite, batch (default)", HistoryKind.SQLITE, Durability.BATCH),
                new Variant("sqlite, fsync", HistoryKind.SQLITE, Durability.FSYNC),
                new Variant("memory", HistoryKind.MEMORY, Durability.BATCH)));
        if (args.length > 1) { // e.g. "batch,memory": only those, in that order
            List<Variant> chosen = new ArrayList<>();
            for (String name : args[1].split(",")) {
                variants.stream().filter(v -> v.name.contains(name)).findFirst().ifPresent(chosen::add);
            }
            variants = chosen;
        }
        String token = token();
        String body = "topic=" + java.net.URLEncoder.encode(TOPIC, StandardCharsets.UTF_8) + "&data=" + "x".repeat(DATA_BYTES);
        List<String> rows = new ArrayList<>();
        for (Variant v : variants) { // JIT warm-up of the whole path, for every variant before any is measured
            Path dir = Files.createTempDirectory("herald-bench-warmup-");
            try (Hub hub = hub(v, dir).build().start();
                 Publishers publishers = new Publishers(hub.url(), token, body, PUBLISHERS)) {
                System.err.printf("%s: warm-up...%n", v.name);
                publishers.closedLoop(Duration.ZERO, Duration.ofSeconds(5));
            } finally {
                deleteTree(dir);
            }
        }
        for (Variant v : variants) {
            Path dir = Files.createTempDirectory("herald-bench-");
            try {
                String row;
                try (Hub hub = hub(v, dir.resolve("throughput")).build().start();
                     Publishers publishers = new Publishers(hub.url(), token, body, PUBLISHERS)) {
                    System.err.printf("%s: closed loop, %d publishers, %s...%n", v.name, PUBLISHERS, measure);
                    Publishers.Result max = publishers.closedLoop(warmup, measure);
                    System.err.printf("%s: paced at %d/s...%n", v.name, PACED_RATE);
                    Publishers.Result paced = publishers.paced(PACED_RATE, warmup, measure);
                    row = String.format("| %s | %,.0f | %s | %s | %s | %s | %s |", v.name, max.perSecond(),
                            ms(max.latencyMicros().getValueAtPercentile(50)),
                            ms(max.latencyMicros().getValueAtPercentile(99)),
                            ms(paced.latencyMicros().getValueAtPercentile(50)),
                            ms(paced.latencyMicros().getValueAtPercentile(99)),
                            ms(paced.latencyMicros().getValueAtPercentile(99.9)));
                    if (max.errors() + paced.errors() > 0) {
                        row += " errors: " + (max.errors() + paced.errors());
                    }
                }
                try (Hub hub = hub(v, dir.resolve("replay")).historyMaxEvents(REPLAY_EVENTS).build().start()) {
                    System.err.printf("%s: replay of %,d events...%n", v.name, REPLAY_EVENTS);
                    publish(hub, REPLAY_EVENTS);
                    ReplayReader.timeToReplay(hub.url(), TOPIC, REPLAY_EVENTS); // warm-up pass
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < 3; i++) {
                        best = Math.min(best, ReplayReader.timeToReplay(hub.url(), TOPIC, REPLAY_EVENTS));
                    }
                    row += String.format(" %,d ms |", best / 1_000_000);
                }
                if (v.kind == HistoryKind.SQLITE) { // recovery and verification of those 100,000 at start-up
                    long t0 = System.nanoTime();
                    try (Hub hub = hub(v, dir.resolve("replay")).historyMaxEvents(REPLAY_EVENTS).build().start()) {
                        row += String.format(" %,d ms |", (System.nanoTime() - t0) / 1_000_000);
                    }
                } else {
                    row += " - |";
                }
                rows.add(row);
                System.err.println(row);
            } finally {
                deleteTree(dir);
            }
        }
        System.out.println();
        System.out.println("| history | publishes/s (closed loop) | p50 | p99 | p50 at " + PACED_RATE + "/s | p99 at "
                + PACED_RATE + "/s | p99.9 at " + PACED_RATE + "/s | replay " + String.format("%,d", REPLAY_EVENTS)
                + " events | start-up with " + String.format("%,d", REPLAY_EVENTS) + " kept |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static Hub.Builder hub(Variant v, Path dataDir) {
        return Hub.builder()
                .address(new InetSocketAddress("127.0.0.1", 0))
                .history(v.kind)
                .durability(v.durability)
                .dataDir(dataDir)
                .jwtIssuer(ISSUER)
                .jwtAudience(AUDIENCE)
                .publisherJwtKey(KEY)
                .anonymous(true);
    }

    private static void publish(Hub hub, int n) {
        List<CompletableFuture<String>> window = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            window.add(hub.publishAsync(Update.of(TOPIC, "x".repeat(DATA_BYTES))));
            if (window.size() == 1_000) {
                window.forEach(CompletableFuture::join);
                window.clear();
            }
        }
        window.forEach(CompletableFuture::join);
    }

    private static String ms(long micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }

    static String token() throws JOSEException {
        return dev.herald.benchmarks.BenchTokens.publisher(KEY, ISSUER, AUDIENCE);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
