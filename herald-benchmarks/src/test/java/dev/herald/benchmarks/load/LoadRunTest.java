package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadRunTest {

    private static LoadRun run(String... args) {
        return new LoadRun(BenchArgs.parse(args, Map.of(), "r"), new PrintStream(OutputStream.nullOutputStream()), false);
    }

    @Test
    void automaticSourceAddressesKeepEachUnderFiveThousandConnections() {
        LoadRun r = run("--subscribers", "19000");

        assertThat(r.sourceIpsOf(0, 2)).containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(r.sourceIpsOf(1, 2)).containsExactly("127.0.0.4", "127.0.0.5");
        assertThat(run("--subscribers", "100").sourceIpsOf(0, 1)).containsExactly("127.0.0.2");
    }

    @Test
    void noBindingForARemoteServerOrWhenAskedNot() {
        assertThat(run("--url", "http://192.0.2.1:8080/.well-known/mercure").sourceIpsOf(0, 1)).isEmpty();
        assertThat(run("--source-ips", "none").sourceIpsOf(0, 1)).isEmpty();
    }

    @Test
    void clusterRunKeepsEverySourceAddressUnderTheHubsPerAddressLimit() {
        // W1C: 70,000 over four hubs in five workers; each address's connections are spread over the
        // hubs, so none gets more than 5,000 from one address (Herald's default limit is 10,000)
        String[] args = {"--subscribers", "70000", "--workers", "5", "--url", "http://127.0.0.1:18100/.well-known/mercure",
            "--url", "http://127.0.0.1:18101/.well-known/mercure", "--url", "http://127.0.0.1:18102/.well-known/mercure",
            "--url", "http://127.0.0.1:18103/.well-known/mercure"};
        BenchConfig c = BenchArgs.parse(args, Map.of(), "r");
        LoadRun r = run(args);

        Set<String> seen = new HashSet<>();
        for (int w = 0; w < 5; w++) {
            List<String> ips = r.sourceIpsOf(w, 5);
            assertThat(c.subscribersOf(w)).isEqualTo(14_000);
            assertThat((c.subscribersOf(w) + ips.size() - 1) / ips.size()).isLessThanOrEqualTo(5000);
            for (String ip : ips) {
                assertThat(seen.add(ip)).as("address %s used by two workers", ip).isTrue();
            }
        }
        assertThat(seen).hasSize(15);
    }

    @Test
    void perSubscriberMemoryIsTheSummedGrowthAndNotGivenWhenAServerEnded() {
        ProcSampler.Sample baseline = sample(0, 0, Map.of(1L, 100L << 20, 2L, 100L << 20), List.of());
        ProcSampler.Sample idle = sample(1, 0, Map.of(1L, 110L << 20, 2L, 130L << 20), List.of());
        ProcSampler.Sample oneGone = sample(1, 0, Map.of(1L, 110L << 20), List.of(2L));

        assertThat(LoadRun.perSubscriber(baseline, idle, 10_240)).isEqualTo(4096.0); // (10 + 30) MiB over 10,240
        assertThat(LoadRun.perSubscriber(baseline, oneGone, 10_240)).isEqualTo(-1);
        assertThat(LoadRun.perSubscriber(baseline, idle, 0)).isEqualTo(-1);
    }

    @Test
    void serverCoresAreNotGivenWhenAServerEnded() {
        ProcSampler.Sample a = sample(0, 0, Map.of(1L, 0L, 2L, 0L), List.of());
        ProcSampler.Sample b = sample(1_000_000_000L, 1_500_000_000L, Map.of(1L, 0L, 2L, 0L), List.of());
        ProcSampler.Sample gone = sample(1_000_000_000L, 200_000_000L, Map.of(1L, 0L), List.of(2L));

        assertThat(LoadRun.cores(a, b)).isEqualTo(1.5);
        assertThat(LoadRun.cores(a, gone)).isEqualTo(-1);
    }

    private static ProcSampler.Sample sample(long nanoTime, long cpuNanos, Map<Long, Long> rss, List<Long> missing) {
        return new ProcSampler.Sample(nanoTime, cpuNanos, rss.values().stream().mapToLong(Long::longValue).sum(), rss,
                missing);
    }

    @Test
    void givenAddressesAreDealtToTheWorkers() {
        LoadRun r = run("--source-ips", "127.0.1.1-127.0.1.5", "--subscribers", "30000", "--workers", "2");

        assertThat(r.sourceIpsOf(0, 2)).containsExactly("127.0.1.1", "127.0.1.3", "127.0.1.5");
        assertThat(r.sourceIpsOf(1, 2)).containsExactly("127.0.1.2", "127.0.1.4");
        assertThat(run("--source-ips", "127.0.1.1", "--workers", "2").sourceIpsOf(1, 2)).containsExactly("127.0.1.1");
    }
}
