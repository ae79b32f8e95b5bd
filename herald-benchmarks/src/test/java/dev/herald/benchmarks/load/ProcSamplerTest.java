package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSamplerTest {

    /** Fields 1..17 of a stat line; utime (14) = 250, stime (15) = 50. */
    private static String stat(long pid, String comm, long ppid, long utime, long stime) {
        return pid + " (" + comm + ") S " + ppid + " 100 100 0 -1 4194560 2000 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 9 0 1234 1000000 500 18446744073709551615\n";
    }

    @Test
    void statFieldsAreCountedFromTheLastParenthesis() {
        ProcSampler.ProcStat s = ProcSampler.parseStat(stat(42, "nginx: worker (x) )", 7, 250, 50));

        assertThat(s.ppid()).isEqualTo(7);
        assertThat(s.cpuTicks()).isEqualTo(300);
    }

    @Test
    void malformedStatIsRefused() {
        assertThatThrownBy(() -> ProcSampler.parseStat("42 nginx S 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcSampler.parseStat("42 (java) S 1 2 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vmRss() {
        assertThat(ProcSampler.parseVmRssKb("Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t30\n"))
                .isEqualTo(123456);
        assertThat(ProcSampler.parseVmRssKb("Name:\tzombie\nState:\tZ\n")).isZero();
    }

    @Test
    void sumsProcessesAndTheirChildren(@TempDir Path proc) throws IOException {
        process(proc, 10, "nginx", 1, 100, 0, 1000);
        process(proc, 11, "nginx", 10, 200, 100, 20_000);
        process(proc, 12, "nginx", 10, 300, 0, 30_000);
        process(proc, 13, "other", 1, 5000, 0, 99_999);
        Files.createDirectories(proc.resolve("self"));

        ProcSampler.Sample alone = new ProcSampler(proc, List.of(10L), false).sample();
        ProcSampler.Sample family = new ProcSampler(proc, List.of(10L), true).sample();

        assertThat(alone.processes()).isEqualTo(1);
        assertThat(alone.rssBytes()).isEqualTo(1000 * 1024L);
        assertThat(alone.cpuNanos()).isEqualTo(1_000_000_000L); // 100 ticks at 100 Hz
        assertThat(family.processes()).isEqualTo(3);
        assertThat(family.rssBytes()).isEqualTo(51_000 * 1024L);
        assertThat(family.cpuNanos()).isEqualTo(7_000_000_000L);
    }

    @Test
    void sumsSeveralGivenServersAndKeepsEachOnesShare(@TempDir Path proc) throws IOException {
        // four hubs of a cluster, unrelated processes: W1C samples them as one server
        process(proc, 21, "java", 1, 100, 10, 40_000);
        process(proc, 22, "java", 1, 200, 20, 41_000);
        process(proc, 23, "java", 1, 300, 30, 42_000);
        process(proc, 24, "java", 1, 400, 40, 43_000);

        ProcSampler.Sample s = new ProcSampler(proc, List.of(21L, 22L, 23L, 24L, 22L), false).sample();

        assertThat(s.processes()).isEqualTo(4); // 22 given twice is counted once
        assertThat(s.rssBytes()).isEqualTo(166_000 * 1024L);
        assertThat(s.cpuNanos()).isEqualTo(11_000_000_000L); // 1100 ticks at 100 Hz
        assertThat(s.rssByPid()).containsExactly(entry(21L, 40_000 * 1024L), entry(22L, 41_000 * 1024L),
                entry(23L, 42_000 * 1024L), entry(24L, 43_000 * 1024L));
        assertThat(s.missing()).isEmpty();
    }

    @Test
    void goneProcessesAreLeftOutAndNamed(@TempDir Path proc) throws IOException {
        process(proc, 10, "java", 1, 100, 0, 1000);

        ProcSampler.Sample s = new ProcSampler(proc, List.of(10L, 99L), false).sample();

        assertThat(s.processes()).isEqualTo(1);
        assertThat(s.rssBytes()).isEqualTo(1000 * 1024L);
        assertThat(s.missing()).containsExactly(99L);
    }

    @Test
    void coresBetweenSamples() {
        ProcSampler.Sample a = new ProcSampler.Sample(0, 0, 0, Map.of(1L, 0L), List.of());
        ProcSampler.Sample b = new ProcSampler.Sample(2_000_000_000L, 3_000_000_000L, 0, Map.of(1L, 0L), List.of());

        assertThat(b.coresSince(a)).isEqualTo(1.5);
    }

    private static void process(Path proc, long pid, String comm, long ppid, long utime, long stime, long rssKb)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), stat(pid, comm, ppid, utime, stime));
        Files.writeString(dir.resolve("status"), "Name:\t" + comm + "\nVmRSS:\t" + rssKb + " kB\n");
    }
}
