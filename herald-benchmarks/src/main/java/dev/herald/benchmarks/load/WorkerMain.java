package dev.herald.benchmarks.load;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber worker process, started by the coordinator ({@link LoadRun}). It opens its share of
 * the subscriber connections, prints a {@link WorkerReport} status line every second on standard
 * output, and obeys one-line commands on standard input:
 * <ul>
 *   <li>{@code window-open <sequence>}: the measurement window starts at this publish sequence;</li>
 *   <li>{@code arrivals-start}: the window starts in time: count the events arriving from now on;</li>
 *   <li>{@code window-close <sequence>}: it ends before this one, and in time now;</li>
 *   <li>{@code report}: print a {@code report} line with the window's latencies;</li>
 *   <li>{@code exit}, or the end of the input: close the connections and exit.</li>
 * </ul>
 * It also exits at the deadline of its {@link WorkerSpec}, whatever happens.
 *
 * <p>Not thread-safe; one per process.
 */
public final class WorkerMain {

    /** How often a status line is printed. */
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(1);
    static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(5);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Exit status when the deadline passed. */
    static final int EXIT_DEADLINE = 3;

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        WorkerSpec spec;
        try {
            spec = WorkerSpec.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("herald-bench worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        // standard output carries the protocol alone: whatever else prints (a logging library) goes to stderr
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.US_ASCII);
        System.setOut(System.err);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-status");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(() -> {
            System.err.println("herald-bench worker " + spec.id() + ": deadline passed, exiting");
            Runtime.getRuntime().halt(EXIT_DEADLINE);
        }, Math.max(0, spec.deadlineMillis() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);

        MultiThreadIoEventLoopGroup group = Net.newGroup(spec.threads(), "bench-sub-" + spec.id());
        Window window = new Window();
        SubscriberPool pool = new SubscriberPool(group, spec.uris(), spec.sourceIps(), spec.connections(),
                spec.concurrency(), window);
        pool.start();
        boolean[] failureShown = {false};
        timer.scheduleAtFixedRate(() -> {
            try {
                if (!failureShown[0] && pool.firstFailure() != null) {
                    failureShown[0] = true;
                    System.err.println("herald-bench worker " + spec.id() + ": first failed connection: " + pool.firstFailure());
                }
                out.println(WorkerReport.of(WorkerReport.STATUS, pool, pool.snapshot(false, LOOP_ANSWER_TIMEOUT)).toLine());
            } catch (RuntimeException e) {
                System.err.println("herald-bench worker " + spec.id() + ": " + e.getMessage());
            }
        }, STATUS_INTERVAL.toMillis(), STATUS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            if (cmd[0].equals("exit")) {
                break;
            }
            switch (cmd[0]) {
                case "window-open" -> window.open(Long.parseLong(cmd[1]));
                case "arrivals-start" -> window.startArrivals();
                case "window-close" -> window.close(Long.parseLong(cmd[1]));
                case "report" -> out.println(WorkerReport.of(WorkerReport.REPORT, pool,
                        pool.snapshot(true, LOOP_ANSWER_TIMEOUT)).toLine());
                default -> System.err.println("herald-bench worker " + spec.id() + ": unknown command " + line);
            }
        }
        timer.shutdownNow();
        pool.closeAll(CLOSE_TIMEOUT);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
        System.exit(0);
    }
}
