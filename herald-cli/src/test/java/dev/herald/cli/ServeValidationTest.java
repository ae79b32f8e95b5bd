package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code herald serve} checks its whole configuration before it binds, names the {@code --flag} at
 * fault and exits with 2; {@code --print-config} is a dry run of those checks and shows what
 * {@code --dev} implies.
 */
class ServeValidationTest {

    @TempDir
    Path dir;

    /** What an in-process {@code herald ARGS} printed, and its exit code. */
    record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            var cl = HeraldCommand.newCommandLine(env);
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** {@code serve --print-config ARGS}: the dry run, which must not bind or start anything. */
    private static Run printConfig(String... args) {
        List<String> all = new ArrayList<>(List.of("serve", "--print-config", "--history", "memory"));
        all.addAll(List.of(args));
        return run(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void devPrintConfigShowsWhatDevSwitchesOn() {
        Run r = printConfig("--dev");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("\nanonymous = true +# implied by --dev")
                .containsPattern("\ndemo = true +# implied by --dev")
                .containsPattern("\nsubscriptions = true +# implied by --dev")
                .containsPattern("\npublisher-jwt-key = \"\\*\\*\\*\\*\" +# generated at start-up \\(--dev\\)")
                .containsPattern("\naddr = \"127.0.0.1:8080\" +# implied by --dev \\(loopback only\\)")
                .doesNotContain("# publisher-jwt-key =");
        assertThat(printConfig().out()).as("without --dev").containsPattern("\nanonymous = false +# default")
                .containsPattern("\naddr = \":8080\" +# default");
    }

    @Test
    void printConfigExitsWith2OnAConfigurationServeWouldRefuseAndStillPrintsIt() {
        Run r = printConfig("--ticket-ttl", "10m");
        assertThat(r.code()).isEqualTo(HeraldCommand.EXIT_USAGE);
        assertThat(r.err()).contains("herald: --ticket-ttl: PT10M (expected: > 0 and <= 5m)");
        assertThat(r.out()).contains("ticket-ttl = \"10m\"");
        assertThat(printConfig("--publisher-jwt-key", "short").code()).isEqualTo(HeraldCommand.EXIT_USAGE);
        assertThat(printConfig("--log-format", "xml").err()).contains("--log-format: unknown format 'xml'");
    }

    /** Lettuce reads {@code redis://PASSWORD@host} (no colon) as a password, not a user name. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "redis://s3cret@redis.internal:6379 | redis://****@redis.internal:6379",
        "rediss://user:s3cret@redis.internal:6380 | rediss://user:****@redis.internal:6380",
        "redis-sentinel://:s3cret@h1:26379,h2:26379/0#master | redis-sentinel://:****@h1:26379,h2:26379/0#master",
    })
    void printConfigMasksTheRedisPasswordInEveryFormLettuceReads(String uri, String shown) {
        Run r = printConfig("--transport", uri);
        assertThat(r.out()).doesNotContain("s3cret").contains("transport = \"" + shown + "\"");
        assertThat(r.err()).doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--heartbeat, 0", "--heartbeat, PT-1S",
        "--header-timeout, 0", "--header-timeout, PT-1S",
        "--idle-timeout, 0", "--idle-timeout, PT-1S",
        "--history-max-age, 0", "--history-max-age, PT-1S",
        "--ticket-ttl, 0", "--ticket-ttl, PT-1S",
        "--flush-delay, PT-1S", "--flush-delay, 2s", "--flush-delay, 1h",
        "--history-max-bytes, 0", "--max-data-bytes, 0", "--max-connections, 0",
    })
    void aBadDurationOrSizeExitsWith2NamingItsFlag(String flag, String value) {
        Run r = printConfig(flag, value);
        assertThat(r.code()).as(r.err()).isEqualTo(HeraldCommand.EXIT_USAGE);
        assertThat(r.err()).startsWith("herald: " + flag + ": ").doesNotContain("\tat ");
    }

    @Test
    void flushDelayIsAtMostOneSecond() {
        assertThat(printConfig("--flush-delay", "2s").err()).contains("--flush-delay: PT2S (expected: 0 to 1s)");
        assertThat(printConfig("--flush-delay", "1s").code()).isZero();
        assertThat(printConfig("--flush-delay", "0").code()).isZero();
    }

    @Test
    void badDurationsExitWith2WhenServing() throws Exception {
        for (String[] bad : new String[][] {{"--heartbeat", "0"}, {"--flush-delay", "PT-1S"}}) {
            Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", bad[0], bad[1]);
            String out = HeraldProcess.outputOf(p);
            assertThat(p.exitValue()).as(out).isEqualTo(HeraldCommand.EXIT_USAGE);
            assertThat(out).startsWith("herald: " + bad[0] + ": ");
        }
    }

    /** The address {@code serve ARGS} would listen on, with {@code env}. */
    private static InetSocketAddress address(Map<String, String> env, String... args) {
        var cl = HeraldCommand.newCommandLine(env);
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        ServeCommand s = (ServeCommand) cl.parseArgs(all.toArray(String[]::new)).subcommand().commandSpec().userObject();
        SettingsProvider settings = SettingsProvider.of(s.spec);
        boolean defaultAddress = settings.settings().stream().filter(x -> x.key().equals("addr"))
                .allMatch(x -> settings.source(x) == SettingsProvider.Source.DEFAULT);
        return s.effectiveAddress(defaultAddress);
    }

    @Test
    void devListensOnLoopbackUnlessAnAddressIsGiven() throws Exception {
        InetSocketAddress dev = address(Map.of(), "--dev");
        assertThat(dev.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(dev.getPort()).isEqualTo(8080);
        assertThat(address(Map.of()).getAddress().isAnyLocalAddress()).as("without --dev").isTrue();
        assertThat(address(Map.of(), "--dev", "--addr", ":9000").getAddress().isAnyLocalAddress()).as("--addr").isTrue();
        assertThat(address(Map.of("HERALD_ADDR", ":9000"), "--dev").getAddress().isAnyLocalAddress()).as("HERALD_ADDR")
                .isTrue();
        Path f = dir.resolve("herald.toml");
        Files.writeString(f, "addr = \":9000\"\n");
        assertThat(address(Map.of(), "--dev", "--config", f.toString()).getAddress().isAnyLocalAddress()).as("file")
                .isTrue();
    }

    @Test
    void devWithANonHmacAlgorithmAndNoKeyIsRefused() {
        Run r = printConfig("--dev", "--publisher-jwt-alg", "ES256");
        assertThat(r.code()).isEqualTo(HeraldCommand.EXIT_USAGE);
        assertThat(r.err()).contains("--dev: generates an HMAC key, not a ES256 key: give --publisher-jwt-key");
    }

    @Test
    void theDevBannerNamesTheAlgorithmAndAPublicUrlPathOtherThanTheHubPathIsWarnedAbout() throws Exception {
        Process p = HeraldProcess.start("serve", "--dev", "--no-ui", "--addr", "127.0.0.1:0", "--history", "memory",
                "--publisher-jwt-alg", "HS512", "--public-url", "https://hub.example.com/mercure");
        try {
            assertThat(HeraldProcess.awaitLine(p, "--public-url path")).as("warning")
                    .contains("'/mercure' is not the hub path '/.well-known/mercure'");
            assertThat(HeraldProcess.awaitLine(p, "publisher JWT key")).contains("publisher JWT key (HS512): ");
        } finally {
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }
}
