package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code herald serve} as operators run it: a separate JVM, its log line, its {@code --dev} banner (as
 * docs/getting-started.md shows it), its exit codes.
 */
class ServeCommandTest {

    @Test
    void devModeLogsListeningPrintsATokenAndServesUntilStopped() throws Exception {
        Process p = HeraldProcess.start("serve", "--dev", "--addr", "127.0.0.1:0", "--history", "memory");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            String token = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Pattern listening = Pattern.compile("listening on (http://\\S+)");
            Pattern export = Pattern.compile("export HERALD_TOKEN='([^']+)'");
            List<String> banner = new ArrayList<>();
            boolean bannerDone = false;
            while ((url == null || !bannerDone) && System.nanoTime() < deadline) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = listening.matcher(line);
                if (m.find() && url == null) {
                    url = m.group(1);
                }
                Matcher t = export.matcher(line);
                if (t.find()) {
                    token = t.group(1);
                }
                // the banner: its first line, then its indented ones (log lines, on the merged stderr, are not)
                if (line.startsWith("Development mode:") || !banner.isEmpty() && line.startsWith("  ")) {
                    banner.add(line);
                    bannerDone = line.startsWith("    curl -H");
                }
            }
            assertThat(url).as("listening line").isNotNull();
            assertThat(token).as("dev token").isNotNull();
            assertThat(normalized(banner, URI.create(url).getPort())).as("the banner docs/getting-started.md shows")
                    .isEqualTo(documentedBanner());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("topic=https://example.com/x&data=hi")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).startsWith("urn:uuid:");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook closes the hub
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    static final Path GETTING_STARTED = Path.of("..", "docs", "getting-started.md");

    /** The lines of the block docs/getting-started.md marks as the {@code --dev} banner. */
    private static List<String> documentedBanner() throws Exception {
        List<String> doc = Files.readAllLines(GETTING_STARTED);
        int marker = 0;
        while (marker < doc.size() && !doc.get(marker).startsWith("<!-- ServeCommandTest:")) {
            marker++;
        }
        assertThat(marker).as("the ServeCommandTest marker in " + GETTING_STARTED).isLessThan(doc.size());
        assertThat(doc.get(marker + 1)).isEqualTo("```");
        int end = doc.subList(marker + 2, doc.size()).indexOf("```") + marker + 2;
        return doc.subList(marker + 2, end);
    }

    /** {@code banner} as the doc shows it: port 8080, the key and the token elided. */
    private static List<String> normalized(List<String> banner, int port) {
        return banner.stream().map(l -> l.replace(":" + port, ":8080")
                .replaceAll("\\(HS256\\): \\S+", "(HS256): …")
                .replaceAll("HERALD_TOKEN='eyJ[^']*'", "HERALD_TOKEN='eyJ…'")).toList();
    }

    @Test
    void badAddressExitsWithCode2AndOneLine() throws Exception {
        Process p = HeraldProcess.start("serve", "--addr", "nonsense");
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("nonsense").doesNotContain("\tat ");
    }

    @Test
    void shortHmacKeyExitsWithCode2AndSaysWhy() throws Exception {
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--publisher-jwt-key", "short");
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).containsIgnoringCase("key").doesNotContain("\tat ");
        assertThat(out.strip().lines().filter(l -> l.startsWith("herald:")).count()).isEqualTo(1);
    }

    @Test
    void portInUseExitsWithCode2AndSaysSo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:" + taken.getLocalPort(), "--anonymous");
            String out = HeraldProcess.outputOf(p);
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(out).contains("cannot listen on /127.0.0.1:" + taken.getLocalPort() + ": address already in use")
                    .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("error(-98)");
        }
    }

    @Test
    void helpShowsExamples() throws Exception {
        Process p = HeraldProcess.start("serve", "--help");
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isZero();
        assertThat(out).contains("--publisher-jwt-key").contains("--anonymous").contains("Examples:");
    }
}
