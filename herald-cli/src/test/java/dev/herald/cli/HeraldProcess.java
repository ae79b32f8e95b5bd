package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** Everything the process printed, once it exited (within 30 s). */
    static String outputOf(Process p) throws Exception {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
