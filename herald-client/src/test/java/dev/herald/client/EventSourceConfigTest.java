package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.client.mercure.MercurePublisher;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link EventSourceConfig}: defaults, validation and their documentation. */
class EventSourceConfigTest {

    private static final List<Class<?>> CLASSES_WITH_DEFAULTS = List.of(EventSourceConfig.class, EventStream.class,
            MercurePublisher.class);

    @Test
    void aNewBuilderHasTheDefaults() {
        EventSourceConfig config = EventSourceConfig.builder("http://example.com/events").build();
        assertThat(config.method()).isEqualTo(EventSourceConfig.DEFAULT_METHOD);
        assertThat(config.body()).isNull();
        assertThat(config.headers()).isEmpty();
        assertThat(config.lastEventId()).isEmpty();
        assertThat(config.reconnectTime()).isEqualTo(EventSourceConfig.DEFAULT_RECONNECT_TIME);
        assertThat(config.maxReconnectTime()).isEqualTo(EventSourceConfig.DEFAULT_MAX_RECONNECT_TIME);
        assertThat(config.backoffJitter()).isEqualTo(EventSourceConfig.DEFAULT_BACKOFF_JITTER);
        assertThat(config.backoffResetThreshold()).isEqualTo(EventSourceConfig.DEFAULT_BACKOFF_RESET_THRESHOLD);
        assertThat(config.readTimeout()).isEqualTo(EventSourceConfig.DEFAULT_READ_TIMEOUT);
        assertThat(config.connectTimeout()).isEqualTo(EventSourceConfig.DEFAULT_CONNECT_TIMEOUT);
        assertThat(config.maxEventSize()).isEqualTo(EventSourceConfig.DEFAULT_MAX_EVENT_SIZE);
        assertThat(config.httpClient()).isSameAs(EventSourceConfig.builder("http://other/").build().httpClient());
    }

    /**
     * Every {@code DEFAULT_} constant (and {@code MAX_REDIRECTS}) is in the table of
     * {@code docs/client.md} with its value, and its Javadoc states the same value.
     */
    @Test
    void everyDefaultIsDocumentedWithItsValueInTheGuideAndTheJavadoc() throws Exception {
        Map<String, String> table = defaultsTable();
        for (Class<?> type : CLASSES_WITH_DEFAULTS) {
            String source = Files.readString(sourceOf(type));
            for (Field field : type.getFields()) {
                String name = field.getName();
                if (!Modifier.isStatic(field.getModifiers())
                        || !(name.startsWith("DEFAULT_") || name.equals("MAX_REDIRECTS"))) {
                    continue;
                }
                String key = type.getSimpleName() + "." + name;
                assertThat(table).as("docs/client.md lists %s", key).containsKey(key);
                String documented = table.get(key);
                assertThat(parse(documented)).as("%s in docs/client.md", key).isEqualTo(field.get(null));
                assertThat(javadocOf(source, name)).as("Javadoc of %s", key).contains(documented);
            }
        }
        assertThat(table).as("rows in the table").hasSize(12);
    }

    @Test
    void invalidSettingsAreRefusedWithTheValueAndWhatWasExpected() {
        EventSourceConfig.Builder b = EventSourceConfig.builder("http://example.com/");
        assertThatThrownBy(() -> b.maxEventSize(0)).hasMessage("maxEventSize: 0 (expected: > 0)");
        assertThatThrownBy(() -> b.reconnectTime(Duration.ofMillis(-1)))
                .hasMessage("reconnectTime: PT-0.001S (expected: >= 0)");
        assertThatThrownBy(() -> b.readTimeout(Duration.ofSeconds(-1))).hasMessage("readTimeout: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).hasMessage("connectTimeout: PT0S (expected: > 0)");
        assertThatThrownBy(() -> b.backoffJitter(1.5)).hasMessage("backoffJitter: 1.5 (expected: >= 0 and <= 1)");
        assertThatThrownBy(() -> b.method("GE T")).hasMessage("method: GE T (expected: an HTTP token such as POST)");
        assertThatThrownBy(() -> b.uri(URI.create("ftp://example.com/")))
                .hasMessage("uri: ftp://example.com/ (expected: an absolute http or https URL)");
        assertThatThrownBy(() -> b.uri(URI.create("/relative")))
                .hasMessage("uri: /relative (expected: an absolute http or https URL)");
        assertThatThrownBy(() -> b.header("Host", "x")).hasMessage("header name: Host (set by the HTTP client itself)");
        assertThatThrownBy(() -> b.header("Last-Event-ID", "x"))
                .hasMessage("header name: Last-Event-ID (use lastEventId(String) instead)");
        assertThatThrownBy(() -> b.header("Bad Name", "x")).hasMessage("header name: \"Bad Name\" (expected: an HTTP token)");
        assertThatThrownBy(() -> b.header("X-Injected", "a\r\nEvil: 1")).hasMessageStartingWith(
                "header X-Injected: character U+000D at index 1");
        assertThatThrownBy(() -> b.header(null, "x")).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> EventSourceConfig.builder("http://example.com/").body("x").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("body: not allowed with method GET (expected: a method such as POST or QUERY)");
    }

    @Test
    void anInitialIdContainingNulIsIgnoredLikeAnIdField() {
        assertThat(EventSourceConfig.builder("http://example.com/").lastEventId("a\0b").build().lastEventId()).isEmpty();
    }

    @Test
    void toBuilderCopiesEverySettingAndTheBodyIsCopiedInAndOut() {
        byte[] body = {1, 2, 3};
        EventSourceConfig config = EventSourceConfig.builder("http://example.com/").method("POST").body(body)
                .header("Authorization", "Bearer secret").lastEventId("7").reconnectTime(Duration.ofSeconds(1))
                .maxReconnectTime(Duration.ofSeconds(9)).backoffJitter(0.1).backoffResetThreshold(Duration.ofSeconds(2))
                .readTimeout(Duration.ZERO).connectTimeout(Duration.ofSeconds(4)).maxEventSize(99).build();
        body[0] = 9;
        config.body()[1] = 9;

        EventSourceConfig copy = config.toBuilder().build();
        assertThat(copy.body()).containsExactly(1, 2, 3);
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(config.toString()).contains("POST http://example.com/", "headers=[Authorization]", "lastEventId=7",
                "maxEventSize=99").doesNotContain("secret");
    }

    /** The rows of the "Configuration defaults" table: constant to documented default. */
    private static Map<String, String> defaultsTable() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "client.md"));
        String section = guide.substring(guide.indexOf("## Configuration defaults"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| [^|]+ \\| `([\\w.]+)` \\| ([^|]+) \\|$").matcher(section);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim());
        }
        return rows;
    }

    /** The documented value as the constant's type: "3 seconds", "4 MiB (4194304 bytes)", "0.5", "GET". */
    private static Object parse(String documented) {
        Matcher duration = Pattern.compile("(\\d+) (second|minute)s?").matcher(documented);
        if (duration.matches()) {
            long n = Long.parseLong(duration.group(1));
            return duration.group(2).equals("second") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
        }
        Matcher bytes = Pattern.compile("\\d+ MiB \\((\\d+) bytes\\)").matcher(documented);
        if (bytes.matches()) {
            return Integer.parseInt(bytes.group(1));
        }
        if (documented.matches("\\d+")) {
            return Integer.parseInt(documented);
        }
        if (documented.matches("\\d+\\.\\d+")) {
            return Double.parseDouble(documented);
        }
        return documented;
    }

    /** The Javadoc comment right before the declaration of {@code constant}, {@code {@code x}} unwrapped. */
    private static String javadocOf(String source, String constant) {
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public static final [\\w<>]+ " + constant + " =",
                Pattern.DOTALL).matcher(source);
        assertThat(m.find()).as("Javadoc of %s", constant).isTrue();
        return m.group(1).replaceAll("\\{@code ([^}]*)}", "$1").replaceAll("\\s*\\n\\s*\\*\\s*", " ");
    }

    private static Path sourceOf(Class<?> type) {
        return Path.of("src", "main", "java", type.getName().replace('.', '/') + ".java");
    }
}
