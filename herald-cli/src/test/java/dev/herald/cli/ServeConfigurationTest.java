package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code herald serve}'s configuration: flags over {@code HERALD_*} variables over the TOML file of
 * {@code --config} over defaults; unknown keys refused; {@code --print-config} with secrets masked.
 */
class ServeConfigurationTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-secret";

    @TempDir
    Path dir;

    /** Parses {@code serve ARGS} as the command line would with {@code env}, without running it. */
    private static ServeCommand parse(Map<String, String> env, String... args) {
        CommandLine cl = HeraldCommand.newCommandLine(env);
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        ParseResult r = cl.parseArgs(all);
        return (ServeCommand) r.subcommand().commandSpec().userObject();
    }

    private Path file(String toml) throws Exception {
        Path f = dir.resolve("herald.toml");
        Files.writeString(f, toml);
        return f;
    }

    private static String printConfig(ServeCommand serve) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SettingsProvider provider = SettingsProvider.of(serve.spec);
        provider.check();
        EffectiveConfig.print(provider, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws Exception {
        Path f = file("max-connections = 500\nmax-matchers = 7\nmax-topic-length = 99\n");
        Map<String, String> env = Map.of("HERALD_MAX_CONNECTIONS", "600", "HERALD_MAX_MATCHERS", "8");
        ServeCommand s = parse(env, "--config", f.toString(), "--max-connections", "700");
        assertThat(s.maxConnections).as("flag over environment and file").isEqualTo(700);
        assertThat(s.maxMatchers).as("environment over file").isEqualTo(8);
        assertThat(s.maxTopicLength).as("file over default").isEqualTo(99);
        assertThat(s.maxHeaderSize).as("default").isEqualTo(16384);
    }

    @Test
    void fileValuesAreConvertedLikeFlags() throws Exception {
        Path f = file("""
                # a comment
                anonymous = true
                heartbeat = "15s"
                history-max-bytes = "64MiB"
                cors-origins = ["https://a.example", "https://b.example"]
                publisher-issuer = ["https://x.example=hmac:%s"]
                data-dir = "/var/lib/herald"
                """.formatted(SECRET));
        ServeCommand s = parse(Map.of(), "--config", f.toString());
        assertThat(s.anonymous).isTrue();
        assertThat(s.heartbeat).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.historyMaxBytes).isEqualTo(64L << 20);
        assertThat(s.corsOrigins).containsExactly("https://a.example", "https://b.example");
        assertThat(s.publisherIssuers).containsExactly("https://x.example=hmac:" + SECRET);
        assertThat(s.dataDir).isEqualTo(Path.of("/var/lib/herald"));
    }

    @Test
    void anEmptyVariableCountsAsUnset() throws Exception {
        Map<String, String> empty = Map.of("HERALD_PUBLIC_URL", "", "HERALD_MAX_CONNECTIONS", "", "HERALD_MAX_MATCHERS", "");
        ServeCommand s = parse(empty, "--config", file("max-matchers = 9\n").toString());
        assertThat(s.publicUrl).isNull();
        assertThat(s.maxConnections).isEqualTo(100000);
        assertThat(s.maxMatchers).as("the file, under an empty variable").isEqualTo(9);
        assertThat(printConfig(s)).containsPattern("# public-url = +# not set");
    }

    @Test
    void theFileCountsWhenAFlagComesBeforeConfig() throws Exception {
        Path f = file("max-matchers = 7\n");
        ServeCommand s = parse(Map.of(), "--anonymous", "--dev", "--config", f.toString());
        assertThat(s.maxMatchers).as("a boolean flag before --config").isEqualTo(7);
    }

    @Test
    void heraldConfigNamesTheFileWhenNoFlagDoes() throws Exception {
        Path f = file("max-connections = 42\n");
        assertThat(parse(Map.of("HERALD_CONFIG", f.toString())).maxConnections).isEqualTo(42);
    }

    @Test
    void unknownKeysAreRefusedByName() throws Exception {
        Path f = file("max-conections = 5\nredis-uri = \"x\"\nmax-connections = 5\n");
        ServeCommand s = parse(Map.of(), "--config", f.toString());
        assertThatThrownBy(() -> SettingsProvider.of(s.spec).check())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown keys max-conections (did you mean max-connections?), redis-uri");
    }

    @Test
    void valuesOfTheWrongShapeAreRefused() throws Exception {
        ServeCommand array = parse(Map.of(), "--config", file("heartbeat = [\"1s\"]\n").toString());
        assertThatThrownBy(() -> SettingsProvider.of(array.spec).check()).hasMessageContaining("heartbeat is an array");
        ServeCommand table = parse(Map.of(), "--config", file("[history]\nmax-events = 1\n").toString());
        assertThatThrownBy(() -> SettingsProvider.of(table.spec).check()).hasMessageContaining("history is a table");
        ServeCommand section = parse(Map.of(), "--config", file("[redis]\nurl = \"x\"\n").toString());
        assertThatThrownBy(() -> SettingsProvider.of(section.spec).check()).hasMessageContaining("unknown key redis");
        ServeCommand broken = parse(Map.of(), "--config", file("addr = \n").toString());
        assertThatThrownBy(() -> SettingsProvider.of(broken.spec).check()).hasMessageContaining("not valid TOML");
        ServeCommand missing = parse(Map.of(), "--config", dir.resolve("nope.toml").toString());
        assertThatThrownBy(() -> SettingsProvider.of(missing.spec).check()).hasMessageContaining("cannot read");
    }

    @Test
    void printConfigShowsEveryValueWithItsSourceAndMasksSecrets() throws Exception {
        Path f = file("publisher-issuer = [\"https://x.example=hmac:%s\", \"https://y.example=pem:@/etc/y.pem\"]\n"
                .formatted(SECRET) + "max-matchers = 7\n");
        ServeCommand s = parse(Map.of("HERALD_PUBLISHER_JWT_KEY", SECRET, "HERALD_SUBSCRIBER_JWT_KEY", "@/run/secrets/sub"),
                "--config", f.toString(), "--heartbeat", "5s");
        String out = printConfig(s);
        assertThat(out).doesNotContain(SECRET);
        assertThat(out).containsPattern("publisher-jwt-key = \"\\*\\*\\*\\*\" +# environment HERALD_PUBLISHER_JWT_KEY")
                .containsPattern("subscriber-jwt-key = \"@/run/secrets/sub\" +# environment HERALD_SUBSCRIBER_JWT_KEY")
                .contains("publisher-issuer = [\"https://x.example=hmac:****\", \"https://y.example=pem:@/etc/y.pem\"]")
                .containsPattern("max-matchers = 7 +# config file")
                .containsPattern("heartbeat = \"5s\" +# flag --heartbeat")
                .containsPattern("history-max-age = \"7d\" +# default")
                .containsPattern("# public-url = +# not set");
    }

    @Test
    void printConfigOutputIsAConfigurationFileThatGivesTheSameValues() throws Exception {
        ServeCommand first = parse(Map.of("HERALD_CORS_ORIGINS", "https://a.example,https://b.example"),
                "--max-connections", "321", "--anonymous", "--history-max-age", "2d", "--public-url",
                "https://hub.example.com/.well-known/mercure");
        Path printed = dir.resolve("printed.toml");
        Files.writeString(printed, printConfig(first));
        ServeCommand second = parse(Map.of(), "--config", printed.toString());
        SettingsProvider.of(second.spec).check();
        assertThat(second.maxConnections).isEqualTo(321);
        assertThat(second.anonymous).isTrue();
        assertThat(second.historyMaxAge).isEqualTo(Duration.ofDays(2));
        assertThat(second.corsOrigins).containsExactly("https://a.example", "https://b.example");
        assertThat(second.publicUrl).isEqualTo("https://hub.example.com/.well-known/mercure");
        assertThat(second.address).isEqualTo(first.address);
    }

    @Test
    void misspeltHeraldVariablesAreReportedButNotTheOnesOtherPartsRead() {
        ServeCommand s = parse(Map.of("HERALD_MAX_CONECTIONS", "1", "HERALD_TOKEN", "t", "HERALD_SERVICE_HOST", "10.0.0.1",
                "HERALD_PORT", "tcp://10.0.0.1:8080", "HERALD_REQUIRE_ALL_TESTS", "1", "HERALD_LOG_LEVEL", "DEBUG",
                "HERALD_HUB_URL", "http://x", "HERALD_CONFIG", ""));
        assertThat(SettingsProvider.of(s.spec).unknownEnvironment())
                .containsExactly("HERALD_MAX_CONECTIONS (did you mean HERALD_MAX_CONNECTIONS?)");
        SettingsProvider.of(s.spec).check(); // an empty HERALD_CONFIG names no file
        assertThat(s.config).isNull();
    }

    @Test
    void everyOptionAddedLaterIsASettingWithAKeyAndAVariable() {
        List<Setting> settings = Setting.of(HeraldCommand.newCommandLine(Map.of()).getSubcommands().get("serve")
                .getCommandSpec());
        assertThat(settings).extracting(Setting::key).contains("addr", "publisher-issuer", "log-format", "dev")
                .doesNotContain("config", "print-config", "help", "version");
        Setting issuers = settings.stream().filter(x -> x.key().equals("publisher-issuer")).findFirst().orElseThrow();
        assertThat(issuers.envName()).as("the variable its defaultValue names").isEqualTo("HERALD_PUBLISHER_ISSUERS");
        Setting format = settings.stream().filter(x -> x.key().equals("log-format")).findFirst().orElseThrow();
        assertThat(format.envName()).as("derived from the name").isEqualTo("HERALD_LOG_FORMAT");
        assertThat(format.declaredDefault()).isEqualTo("text");
    }

    @Test
    void aBadValueFromTheFileExitsWithCode2NamingTheFile() throws Exception {
        Path f = file("heartbeat = \"soon\"\n");
        Process p = HeraldProcess.start("serve", "--config", f.toString());
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("'soon' is not a duration").contains("(from " + f + ")").doesNotContain("\tat ")
                .doesNotContain("Usage:");
    }

    @Test
    void anUnknownKeyExitsWithCode2AndOneLine() throws Exception {
        Path f = file("max-conections = 5\n");
        Process p = HeraldProcess.start("serve", "--config", f.toString());
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.strip()).isEqualTo("herald: " + f + ": unknown key max-conections (did you mean max-connections?)"
                + " (expected: the long names of herald serve's options, see herald serve --help)");
    }
}
