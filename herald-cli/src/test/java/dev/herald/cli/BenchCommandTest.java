package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code herald bench} hands its options to the load generator unchanged (no load is generated here). */
class BenchCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void helpIsTheGeneratorsUsage() {
        int code = HeraldCommand.newCommandLine().execute("bench", "--help");

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: herald bench").contains("--subscribers N");
    }

    @Test
    void helpEndsWithExamplesAndExitCodes() {
        int code = HeraldCommand.newCommandLine().execute("bench", "--help");

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Examples:", "herald bench --subscribers 1000",
                "Exit codes: 0 the run completed; 1 it could not run");
    }

    @Test
    void badOptionIsAUsageError() {
        int code = HeraldCommand.newCommandLine().execute("bench", "--subscribers", "many", "--rate", "0");

        assertThat(code).isEqualTo(HeraldCommand.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("herald bench: --subscribers: 'many' is not a whole number");
    }

    @Test
    void listedAmongTheCommands() {
        assertThat(HeraldCommand.newCommandLine().getSubcommands()).containsKey("bench");
    }
}
