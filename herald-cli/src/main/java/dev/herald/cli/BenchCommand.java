package dev.herald.cli;

import dev.herald.benchmarks.load.LoadMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code herald bench}: the load generator of {@code herald-benchmarks} ({@link LoadMain}). Its
 * options are its own (see {@code herald bench --help}); this command hands them over unchanged,
 * so the CLI and the benchmarks module cannot disagree about them.
 *
 * <p>Not thread-safe; picocli creates one per invocation.
 */
@Command(name = "bench",
        description = "Load-test an SSE hub (Herald or Nchan): subscribers, publishes, latency, server CPU and memory.",
        footer = {"",
                "Examples:",
                "  herald bench --subscribers 1000 --rate 1000 --token \"$HERALD_TOKEN\" \\",
                "      --server-pid $(pgrep -f 'herald.jar serve')",
                "  herald bench --target nchan --url http://127.0.0.1:8081 --subscribers 19000 \\",
                "      --server-pid $NGINX_MASTER --server-children",
                "",
                "Exit codes: 0 the run completed; 1 it could not run (hub unreachable",
                "included: unlike the other commands, bench does not use 3); 2 bad usage."})
final class BenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int code = LoadMain.run("herald bench", args.toArray(String[]::new), System.out, System.err, System.getenv());
        if (args.contains("-h") || args.contains("--help")) {
            // the generator's usage has the options; the examples and exit codes are this command's footer
            for (String line : spec.usageMessage().footer()) {
                System.out.println(line);
            }
        }
        return code;
    }
}
