package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code herald serve} as operators run it: a separate JVM, its log line, its exit codes. */
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
            while ((url == null || token == null) && System.nanoTime() < deadline) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
                Matcher t = export.matcher(line);
                if (t.find()) {
                    token = t.group(1);
                }
            }
            assertThat(url).as("listening line").isNotNull();
            assertThat(token).as("dev token").isNotNull();
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
