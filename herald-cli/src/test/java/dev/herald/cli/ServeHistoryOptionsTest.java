package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/** {@code herald serve}'s history options: the durable default, its directory, and refusals with exit code 2. */
class ServeHistoryOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theSqliteHistoryIsTheDefaultAndLivesInTheDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        Process p = HeraldProcess.start("serve", "--dev", "--addr", "127.0.0.1:0", "--data-dir", data.toString());
        try {
            assertThat(HeraldProcess.awaitLine(p, "listening on")).as("listening line").contains("SqliteHistoryStore");
            assertThat(data.resolve("history.db")).exists();
        } finally {
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anUnknownHistoryStoreExitsWithCode2NamingTheChoices() throws Exception {
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "redis-ish");
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("--history: unknown store 'redis-ish' (expected: sqlite or memory)").doesNotContain("\tat ");
    }

    @Test
    void anUnknownDurabilityOrANonPositiveBoundExitsWithCode2() throws Exception {
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--data-dir", dir.toString(), "--durability", "maybe");
        assertThat(HeraldProcess.outputOf(p)).contains("--durability: unknown mode 'maybe' (expected: batch or fsync)");
        assertThat(p.exitValue()).isEqualTo(2);
        Process q = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--data-dir", dir.toString(), "--history-max-events", "0");
        assertThat(HeraldProcess.outputOf(q)).contains("--history-max-events: 0 (expected: > 0)");
        assertThat(q.exitValue()).isEqualTo(2);
    }

    @Test
    void aCorruptHistoryFileExitsWithCode2AndOneLineSayingWhereAndWhatToDo() throws Exception {
        Path file = dir.resolve("history.db");
        Files.writeString(file, "garbage, not a database ".repeat(500));
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--anonymous", "--data-dir", dir.toString());
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains(file.toString()).contains("damaged").contains("move history.db").doesNotContain("\tat ");
        assertThat(out.strip().lines().filter(l -> l.startsWith("herald:")).count()).isEqualTo(1);
    }

    @Test
    void byteSizesTakeBinaryUnits() {
        assertThat(Converters.parseByteSize("1048576")).isEqualTo(1_048_576L);
        assertThat(Converters.parseByteSize("64MiB")).isEqualTo(64L << 20);
        assertThat(Converters.parseByteSize("2g")).isEqualTo(2L << 30);
        assertThat(Converters.parseByteSize("512 KiB")).isEqualTo(512L << 10);
        assertThatThrownBy(() -> Converters.parseByteSize("12 parsecs")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> Converters.parseByteSize("MiB")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> Converters.parseByteSize("99999999999999TiB")).isInstanceOf(TypeConversionException.class);
    }
}
