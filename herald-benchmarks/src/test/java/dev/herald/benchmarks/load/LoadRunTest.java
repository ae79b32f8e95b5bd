package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.Map;
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
    void givenAddressesAreDealtToTheWorkers() {
        LoadRun r = run("--source-ips", "127.0.1.1-127.0.1.5", "--subscribers", "30000", "--workers", "2");

        assertThat(r.sourceIpsOf(0, 2)).containsExactly("127.0.1.1", "127.0.1.3", "127.0.1.5");
        assertThat(r.sourceIpsOf(1, 2)).containsExactly("127.0.1.2", "127.0.1.4");
        assertThat(run("--source-ips", "127.0.1.1", "--workers", "2").sourceIpsOf(1, 2)).containsExactly("127.0.1.1");
    }
}
