package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code herald} as operators do: a separate JVM on the test classpath, output merged. */
final class HeraldProcess {

    private HeraldProcess() {
    }

    /** Starts {@code herald args...}. */
    static Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HeraldCommand.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** The first line the process prints that contains {@code text}, or null if none within 30 s. */
    static String awaitLine(Process p, String text) throws java.io.IOException {
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            if (line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    /** The hub URL of the {@code listening on …} line {@code p} prints once serving (within 30 s). */
    static String listeningUrl(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("listening on (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = listening.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no listening line");
    }

    /**
     * Starts {@code herald args...} with {@code env} added to the environment (a {@code null} value
     * removes the variable), standard output and standard error kept apart.
     */
    static Process start(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(HeraldCommand.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_") && !k.equals("HERALD_REQUIRE_ALL_TESTS"));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        return pb.start();
    }

    /** What a finished {@code herald} printed, apart, and its exit code. Immutable. */
    record Result(int exitCode, String out, String err) {
    }

    /** Runs {@code herald args...} to the end (within 30 s), {@code stdin} (may be null) as its input. */
    static Result run(Map<String, String> env, String stdin, String... args) throws Exception {
        Process p = start(env, args);
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        return finish(p);
    }

    /** Waits (30 s at most) for {@code p}, started by {@link #start(Map, String...)}, and collects what it printed. */
    static Result finish(Process p) throws Exception {
        java.util.concurrent.CompletableFuture<String> out = drain(p.getInputStream());
        java.util.concurrent.CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("herald did not exit within 30 s");
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static java.util.concurrent.CompletableFuture<String> drain(java.io.InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> { // a thread of its own: the common pool may have a single thread on a small machine
            Thread t = new Thread(r, "herald-process-drain");
            t.setDaemon(true);
            t.start();
        });
    }

    /** A running {@code herald serve} and the hub URL from its {@code listening on} line. */
    record Serving(Process process, URI url) implements AutoCloseable {
        /** Stops it as an operator would (SIGTERM: the shutdown hook closes the hub gracefully). */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts {@code herald serve args...} and waits (30 s at most) until it listens; its output is drained after. */
    static Serving serve(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        Process p = start(all.toArray(String[]::new));
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8));
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on (https?://\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            java.util.regex.Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "herald-serve-drain");
                drain.setDaemon(true);
                drain.start();
                return new Serving(p, URI.create(m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new AssertionError("herald serve did not start:\n" + seen);
    }

    /** Everything the process printed, once it exited (within 30 s). */
    static String outputOf(Process p) throws Exception {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
