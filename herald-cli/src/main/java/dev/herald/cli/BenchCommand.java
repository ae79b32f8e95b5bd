package dev.herald.cli;

import dev.herald.benchmarks.load.LoadMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code herald bench}: the load generator of {@code herald-benchmarks} ({@link LoadMain}). Its
 * options are its own (see {@code herald bench --help}); this command hands them over unchanged,
 * so the CLI and the benchmarks module cannot disagree about them.
 *
 * <p>Not thread-safe; picocli creates one per invocation.
 */
@Command(name = "bench",
        description = "Load-test an SSE hub (Herald or Nchan): subscribers, publishes, latency, server CPU and memory. "
                + "See herald bench --help.",
        footer = {"",
                "Examples:",
                "  herald bench --subscribers 1000 --rate 1000 --token \"$HERALD_TOKEN\" \\",
                "      --server-pid $(pgrep -f 'herald.jar serve')",
                "  herald bench --target nchan --url http://127.0.0.1:8081 --subscribers 19000 \\",
                "      --server-pid $NGINX_MASTER --server-children"})
final class BenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return LoadMain.run("herald bench", args.toArray(String[]::new), System.out, System.err, System.getenv());
    }
}
