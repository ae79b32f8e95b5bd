package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    private static BenchConfig parse(String... args) {
        return BenchArgs.parse(args, Map.of(), "run1");
    }

    @Test
    void defaults() {
        BenchConfig c = parse();

        assertThat(c.target()).isEqualTo(Target.HERALD);
        assertThat(c.urls()).containsExactly(URI.create(Target.HERALD.defaultUrl()));
        assertThat(c.topic()).isEqualTo(Target.HERALD.defaultTopic() + "/run1");
        assertThat(c.subscribers()).isEqualTo(BenchArgs.DEFAULT_SUBSCRIBERS);
        assertThat(c.publishes()).isFalse();
        assertThat(c.publishers()).isEqualTo(BenchArgs.MIN_AUTO_PUBLISHERS);
        assertThat(c.duration()).isEqualTo(BenchArgs.DEFAULT_DURATION);
        assertThat(c.sourceIps()).containsExactly(BenchConfig.AUTO);
        assertThat(c.workerJvmOptions()).isEqualTo(BenchArgs.DEFAULT_WORKER_JVM_OPTIONS);
        assertThat(c.workerCount()).isEqualTo(1);
    }

    @Test
    void everyOption() {
        BenchConfig c = BenchArgs.parse(new String[] {"--label", "W2", "--target=nchan", "--url", "http://127.0.0.1:9000,http://127.0.0.1:9001",
                "--topic", "ch", "--subscribers", "19_000", "--rate", "1000", "--publishers", "8", "--data-bytes", "128",
                "--settle", "1s", "--warmup", "500ms", "--duration", "2m", "--connect-timeout", "1h", "--drain", "0",
                "--workers", "2", "--per-worker", "10000", "--worker-threads", "2", "--connect-concurrency", "64",
                "--source-ips", "127.0.0.5-127.0.0.7,127.0.0.9", "--server-pid", "10,11", "--server-pid", "12",
                "--server-children", "--json", "out.json", "--quiet", "--worker-jvm-option", "-Xmx2g"}, Map.of(), "x");

        assertThat(c.label()).isEqualTo("W2");
        assertThat(c.target()).isEqualTo(Target.NCHAN);
        assertThat(c.urls()).containsExactly(URI.create("http://127.0.0.1:9000"), URI.create("http://127.0.0.1:9001"));
        assertThat(c.topic()).isEqualTo("ch");
        assertThat(c.subscribers()).isEqualTo(19_000);
        assertThat(c.rate()).isEqualTo(1000);
        assertThat(c.publishers()).isEqualTo(8);
        assertThat(c.dataBytes()).isEqualTo(128);
        assertThat(c.settle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(c.drain()).isZero();
        assertThat(c.workerCount()).isEqualTo(2);
        assertThat(c.subscribersOf(0) + c.subscribersOf(1)).isEqualTo(19_000);
        assertThat(c.workerThreads()).isEqualTo(2);
        assertThat(c.connectConcurrency()).isEqualTo(64);
        assertThat(c.sourceIps()).containsExactly("127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.9");
        assertThat(c.serverPids()).containsExactly(10L, 11L, 12L);
        assertThat(c.serverChildren()).isTrue();
        assertThat(c.json()).isEqualTo(Path.of("out.json"));
        assertThat(c.quiet()).isTrue();
        assertThat(c.workerJvmOptions()).containsExactly("-Xmx2g");
    }

    @Test
    void workersFollowThePerWorkerLimit() {
        BenchConfig c = parse("--subscribers", "70001");

        assertThat(c.workerCount()).isEqualTo(5);
        int sum = 0;
        for (int i = 0; i < 5; i++) {
            assertThat(c.subscribersOf(i)).isLessThanOrEqualTo(BenchArgs.DEFAULT_PER_WORKER);
            sum += c.subscribersOf(i);
        }
        assertThat(sum).isEqualTo(70001);
    }

    @Test
    void publishersScaleWithTheRate() {
        assertThat(BenchArgs.autoPublishers(100)).isEqualTo(4);
        assertThat(BenchArgs.autoPublishers(1000)).isEqualTo(20);
        assertThat(BenchArgs.autoPublishers(1_000_000)).isEqualTo(64);
        assertThat(BenchArgs.autoPublishers(Double.POSITIVE_INFINITY)).isEqualTo(16);
    }

    @Test
    void tokenFromTheEnvironmentAndRequiredToPublishToHerald() {
        assertThat(BenchArgs.parse(new String[] {"--rate", "10"}, Map.of("HERALD_TOKEN", "abc"), "r").token()).isEqualTo("abc");
        assertThatThrownBy(() -> parse("--rate", "10")).hasMessageContaining("--token");
        assertThat(parse("--rate", "max", "--target", "nchan").rate()).isInfinite();
    }

    @Test
    void durations() {
        assertThat(BenchArgs.duration("--d", "90", false)).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchArgs.duration("--d", "1.5s", false)).isEqualTo(Duration.ofMillis(1500));
        assertThat(BenchArgs.duration("--d", "5m", false)).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> BenchArgs.duration("--d", "0", false)).hasMessageContaining("--d");
        assertThatThrownBy(() -> BenchArgs.duration("--d", "25h", true)).hasMessageContaining("24h");
        assertThatThrownBy(() -> BenchArgs.duration("--d", "soon", true)).hasMessageContaining("500ms");
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> parse("--subscribers")).hasMessage("--subscribers: missing value");
        assertThatThrownBy(() -> parse("--subscribers", "many")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> parse("--subscribers", "-1")).hasMessageContaining("expected: 0..");
        assertThatThrownBy(() -> parse("--frobnicate", "1")).hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> parse("stray")).hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(() -> parse("--target", "pushpin")).hasMessageContaining("herald or nchan");
        assertThatThrownBy(() -> parse("--url", "https://x")).hasMessageContaining("TLS");
        assertThatThrownBy(() -> parse("--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> parse("--source-ips", "127.0.0.300")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> parse("--subscribers", "40000", "--workers", "2"))
                .hasMessageContaining("more than --per-worker");
        assertThatThrownBy(() -> parse("--data-bytes", "10")).hasMessageContaining("48..");
    }

    @Test
    void sourceIps() {
        assertThat(BenchArgs.sourceIps("none")).isEmpty();
        assertThat(BenchArgs.sourceIps("127.0.0.254-127.0.1.1")).containsExactly("127.0.0.254", "127.0.0.255", "127.0.1.0",
                "127.0.1.1");
        assertThat(BenchArgs.formatIpv4(BenchArgs.parseIpv4("127.0.0.2") + 300)).isEqualTo("127.0.1.46");
    }

    @Test
    void help() {
        assertThat(BenchArgs.wantsHelp(new String[] {"--subscribers", "1", "-h"})).isTrue();
        assertThat(BenchArgs.usage("herald bench")).contains("Usage: herald bench").contains("--server-pid");
    }

    @Test
    void targetsBuildTheirUrls() {
        URI hub = URI.create("http://127.0.0.1:8080/.well-known/mercure");
        assertThat(Target.HERALD.subscribeUri(hub, "https://a/b c")).hasToString(
                "http://127.0.0.1:8080/.well-known/mercure?match=https%3A%2F%2Fa%2Fb+c");
        assertThat(Target.HERALD.publishBody("t", "{\"t\":1}")).isEqualTo("topic=t&data=%7B%22t%22%3A1%7D");
        URI nchan = URI.create("http://127.0.0.1:8081/");
        assertThat(Target.NCHAN.subscribeUri(nchan, "bench")).hasToString("http://127.0.0.1:8081/sub/bench");
        assertThat(Target.NCHAN.publishUri(nchan, "bench")).hasToString("http://127.0.0.1:8081/pub/bench");
        assertThat(List.of(Target.NCHAN.publishBody("x", "d"))).containsExactly("d");
    }
}
