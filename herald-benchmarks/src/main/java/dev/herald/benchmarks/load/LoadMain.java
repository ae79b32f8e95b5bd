package dev.herald.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * The load generator's entry point ({@code herald bench}, or {@code java -cp benchmarks.jar
 * dev.herald.benchmarks.load.LoadMain}): parses the options, runs one workload, prints the table
 * and writes the JSON. Exit codes: 0 the run completed, 1 it could not run (server unreachable...),
 * 2 bad usage.
 *
 * <p>Thread-safe: stateless; each call runs its own workload.
 */
public final class LoadMain {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private LoadMain() {
    }

    public static void main(String[] args) {
        System.exit(run("herald-bench", args, System.out, System.err, System.getenv()));
    }

    /**
     * Runs the generator.
     *
     * @param command the command's name in messages ({@code herald bench})
     * @return the exit code
     */
    public static int run(String command, String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (BenchArgs.wantsHelp(args)) {
            out.print(BenchArgs.usage(command));
            return EXIT_OK;
        }
        BenchConfig config;
        try {
            config = BenchArgs.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_USAGE;
        }
        if (!config.serverPids().isEmpty() && !ProcSampler.isSupported()) {
            err.println(command + ": --server-pid needs Linux /proc");
            return EXIT_USAGE;
        }
        RunResult result;
        try {
            result = new LoadRun(config, err, System.console() != null).run();
        } catch (IOException | RuntimeException e) {
            err.println(command + ": " + e.getMessage());
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(command + ": interrupted");
            return EXIT_FAILURE;
        }
        out.print(Report.text(result));
        if (config.json() != null) {
            try {
                JsonReport.write(result, config.json());
                out.println("  (JSON: " + config.json() + ")");
            } catch (IOException e) {
                err.println(command + ": cannot write " + config.json() + ": " + e.getMessage());
                return EXIT_FAILURE;
            }
        }
        return EXIT_OK;
    }
}
