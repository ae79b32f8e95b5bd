package dev.herald.benchmarks.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a server's CPU time and resident memory from Linux {@code /proc}: the sum over the given
 * processes and, optionally, their child processes (nginx's workers under its master).
 *
 * <p>CPU time is {@code utime + stime} of {@code /proc/<pid>/stat}, in clock ticks of
 * {@value #CLOCK_TICKS_PER_SECOND} Hz ({@code USER_HZ}, fixed by the kernel ABI on every mainstream
 * architecture); resident memory is {@code VmRSS} of {@code /proc/<pid>/status}.
 *
 * <p>Thread-safe: immutable; each {@link #sample()} reads {@code /proc} afresh.
 */
final class ProcSampler {

    /** {@code USER_HZ}: the unit of the CPU times in {@code /proc/<pid>/stat}. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Path proc;
    private final List<Long> pids;
    private final boolean withChildren;

    /** A sampler over {@code /proc}. */
    ProcSampler(List<Long> pids, boolean withChildren) {
        this(Path.of("/proc"), pids, withChildren);
    }

    ProcSampler(Path proc, List<Long> pids, boolean withChildren) {
        this.proc = proc;
        this.pids = List.copyOf(pids);
        this.withChildren = withChildren;
    }

    /** Whether {@code /proc} exists here (Linux). */
    static boolean isSupported() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /**
     * The processes' summed CPU time and resident memory now, and each one's resident memory.
     * Processes that have gone are left out of the sums; {@link Sample#missing} names the given
     * ones (not children) that were, since a sum without one of several servers (a cluster's node
     * that died) is not comparable with an earlier sum that had it.
     */
    Sample sample() {
        long now = System.nanoTime();
        long ticks = 0;
        long rssKb = 0;
        Map<Long, Long> byPid = new LinkedHashMap<>();
        for (long pid : processes()) {
            try {
                ProcStat stat = parseStat(Files.readString(proc.resolve(pid + "/stat")));
                long rss = parseVmRssKb(Files.readString(proc.resolve(pid + "/status")));
                ticks += stat.cpuTicks();
                rssKb += rss;
                byPid.put(pid, rss * 1024);
            } catch (IOException | IllegalArgumentException e) {
                // the process ended between listing and reading
            }
        }
        List<Long> missing = new ArrayList<>();
        for (long pid : new LinkedHashSet<>(pids)) {
            if (!byPid.containsKey(pid)) {
                missing.add(pid);
            }
        }
        return new Sample(now, ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND, rssKb * 1024, byPid, missing);
    }

    private Set<Long> processes() {
        Set<Long> all = new LinkedHashSet<>(pids);
        if (withChildren) {
            all.addAll(children(pids));
        }
        return all;
    }

    /** Direct children of {@code parents}, found by the ppid of every process in {@code /proc}. */
    private List<Long> children(List<Long> parents) {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc, p -> isNumeric(p.getFileName().toString()))) {
            for (Path p : dir) {
                try {
                    ProcStat stat = parseStat(Files.readString(p.resolve("stat")));
                    if (parents.contains(stat.ppid())) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
        }
        return found;
    }

    private static boolean isNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a {@code /proc/<pid>/stat} line. The command name (field 2) is in parentheses and may
     * itself contain spaces and parentheses, so fields are counted from the last {@code ')'}.
     *
     * @throws IllegalArgumentException when the line is not a stat line
     */
    static ProcStat parseStat(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 > line.length()) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] f = line.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state): field k is f[k - 3]
        if (f.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + line);
        }
        try {
            return new ProcStat(Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed /proc/<pid>/stat: " + line, e);
        }
    }

    /**
     * The {@code VmRSS} of a {@code /proc/<pid>/status} text, in KiB; 0 when absent (a zombie).
     *
     * @throws IllegalArgumentException when the line is malformed
     */
    static long parseVmRssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String v = line.substring("VmRSS:".length()).trim();
                int space = v.indexOf(' ');
                try {
                    return Long.parseLong(space < 0 ? v : v.substring(0, space));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed VmRSS line: " + line, e);
                }
            }
        }
        return 0;
    }

    /**
     * Fields of one {@code /proc/<pid>/stat}.
     *
     * @param ppid the parent process id
     * @param cpuTicks user plus system CPU time in clock ticks
     */
    record ProcStat(long ppid, long cpuTicks) {
    }

    /**
     * One reading. Immutable.
     *
     * @param nanoTime when it was taken ({@link System#nanoTime()})
     * @param cpuNanos summed user and system CPU time
     * @param rssBytes summed resident memory
     * @param rssByPid each process read (given ones and children) and its resident memory, in bytes
     * @param missing the given processes that could not be read (ended)
     */
    record Sample(long nanoTime, long cpuNanos, long rssBytes, Map<Long, Long> rssByPid, List<Long> missing) {

        Sample {
            rssByPid = Collections.unmodifiableMap(new LinkedHashMap<>(rssByPid));
            missing = List.copyOf(missing);
        }

        /** How many processes were read. */
        int processes() {
            return rssByPid.size();
        }

        /** CPU cores used on average between {@code earlier} and this sample. */
        double coresSince(Sample earlier) {
            long wall = nanoTime - earlier.nanoTime;
            return wall <= 0 ? 0 : (double) (cpuNanos - earlier.cpuNanos) / wall;
        }
    }
}
