package dev.herald.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The coordinator's handle on one worker JVM ({@link WorkerMain}), started with the same class path
 * as this JVM: sends it commands, keeps its latest status, and hands over its reports.
 *
 * <p>Thread-safe: a reader thread updates the status; commands are written under a lock.
 */
final class WorkerProcess implements AutoCloseable {

    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    private final WorkerSpec spec;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<WorkerReport> reports = new LinkedBlockingQueue<>();
    private final Consumer<Histogram> intervals;
    private volatile WorkerReport status;
    private volatile String readError;

    private WorkerProcess(WorkerSpec spec, Process process, Consumer<Histogram> intervals) {
        this.spec = spec;
        this.process = process;
        this.intervals = intervals;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        Thread reader = new Thread(this::readLines, "worker-" + spec.id() + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a worker.
     *
     * @param intervals receives each status line's latency histogram (called on the reader thread)
     * @throws IOException when the JVM cannot be started
     */
    static WorkerProcess start(WorkerSpec spec, List<String> jvmOptions, Consumer<Histogram> intervals) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        cmd.addAll(spec.toArgs());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new WorkerProcess(spec, p, intervals);
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                WorkerReport r;
                try {
                    r = WorkerReport.parse(line);
                } catch (IllegalArgumentException e) {
                    System.err.println("worker " + spec.id() + ": " + line);
                    continue;
                }
                if (WorkerReport.STATUS.equals(r.kind())) {
                    status = r;
                    intervals.accept(r.latency());
                } else {
                    reports.add(r);
                }
            }
        } catch (IOException e) {
            readError = e.getMessage();
        }
    }

    int id() {
        return spec.id();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The latest status, or {@code null} before the first. */
    WorkerReport status() {
        return status;
    }

    /** Why reading the worker's output stopped early, or {@code null}. */
    String readError() {
        return readError;
    }

    synchronized void send(String command) {
        commands.println(command);
    }

    /** Asks for and waits for a report; {@code null} when none came within {@code timeout}. */
    WorkerReport report(Duration timeout) throws InterruptedException {
        reports.clear();
        send("report");
        return reports.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the worker to exit and waits; kills it when it does not within {@link #EXIT_TIMEOUT}. */
    @Override
    public void close() {
        try {
            send("exit");
            commands.close();
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the worker at once (the coordinator is going away). */
    void kill() {
        process.destroyForcibly();
    }
}
