package dev.herald.hub.test;

import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hub in a process of its own, for tests that kill it: {@code HubProcess DATA_DIR [subscriptions]}
 * starts the SQLite-backed test hub on a free loopback port (tracking active subscriptions when
 * asked), prints {@code URL <hub url>} on one line, and serves until killed.
 */
public final class HubProcess {

    public static final String URL_PREFIX = "URL ";
    /** The argument turning on active subscriptions. */
    public static final String SUBSCRIPTIONS = "subscriptions";

    private HubProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Hub hub = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(Path.of(args[0]))
                .subscriptions(List.of(args).contains(SUBSCRIPTIONS)).build().start();
        System.out.println(URL_PREFIX + hub.url());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }

    /** Starts this hub on {@code dataDir} and returns it once it listens. */
    public static Started start(Path dataDir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(dataDir.toString()));
        all.addAll(List.of(args));
        return launch(HubProcess.class, all.toArray(String[]::new));
    }

    /**
     * Runs {@code main} (a class printing {@link #URL_PREFIX} and its URL once it listens) in a JVM of
     * its own with the test class path, and returns it with its URL. Its further output is read and
     * dropped, so it never blocks on a full pipe.
     */
    public static Started launch(Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith(URL_PREFIX)) {
                    URI url = URI.create(line.substring(URL_PREFIX.length()).trim());
                    Thread drain = new Thread(() -> {
                        try {
                            out.transferTo(Writer.nullWriter());
                        } catch (IOException ended) {
                            // the process died
                        }
                    }, "test-hub-process-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new Started(p, url);
                }
            }
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        p.destroyForcibly();
        throw new AssertionError("the hub process printed no URL line");
    }

    /** A started hub process and its URL. */
    public record Started(Process process, URI url) {

        /** SIGKILL, and waits for it to be gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the hub process survived SIGKILL");
            }
        }
    }
}
