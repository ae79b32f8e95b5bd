package dev.herald.redis;

import dev.herald.hub.test.External;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own on a free loopback port (never the shared one on 6379):
 * without persistence, or with an append-only file synced at every write when a restart must keep
 * the data; or a Sentinel. The test can stop, restart, pause ({@code SIGSTOP}) and resume it, and send it
 * commands.
 * Skipped (or failed, with {@code HERALD_REQUIRE_ALL_TESTS=1}) when redis-server is not installed.
 */
public final class RedisServer implements AutoCloseable {

    private final Path program;
    private final Path dir;
    private final boolean persistent;
    private final List<String> extraArgs;
    private final int port;
    private Process process;

    private RedisServer(Path program, Path dir, boolean persistent, List<String> extraArgs) throws IOException {
        this.program = program;
        this.dir = dir;
        this.persistent = persistent;
        this.extraArgs = extraArgs;
        this.port = freePort();
    }

    /** A server keeping nothing on disk. */
    public static RedisServer start() throws Exception {
        return start(null);
    }

    /** A server with an append-only file in {@code dir} (fsync at every write), or none if {@code dir} is null. */
    public static RedisServer start(Path dir) throws Exception {
        return start(dir, List.of());
    }

    /** A server without persistence replicating {@code master}. */
    public static RedisServer replicaOf(RedisServer master) throws Exception {
        return start(null, List.of("--replicaof", "127.0.0.1", Integer.toString(master.port)));
    }

    private static RedisServer start(Path dir, List<String> extraArgs) throws Exception {
        Path program = External.require("redis-server", "redis-server");
        RedisServer server = new RedisServer(program, dir, dir != null, extraArgs);
        server.launch();
        return server;
    }

    /**
     * A Sentinel (a redis-server in sentinel mode, its config file in {@code dir}) watching the master
     * {@code masterId} on {@code masterPort}, quorum 1, which it declares down after one second.
     */
    public static RedisServer sentinel(Path dir, String masterId, int masterPort) throws Exception {
        Path program = External.require("redis-server", "redis-server");
        Path conf = dir.resolve("sentinel.conf");
        java.nio.file.Files.writeString(conf, String.join("\n",
                "sentinel monitor " + masterId + " 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds " + masterId + " 1000",
                "sentinel failover-timeout " + masterId + " 5000", ""));
        RedisServer server = new RedisServer(program, dir, false, List.of("--sentinel"));
        server.sentinelConf = conf;
        server.launch();
        return server;
    }

    private Path sentinelConf;

    private void launch() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(program.toString());
        if (sentinelConf != null) {
            cmd.add(sentinelConf.toString()); // a sentinel rewrites its config file: it must come first
        }
        cmd.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
                "--loglevel", "warning"));
        cmd.addAll(extraArgs);
        if (sentinelConf == null) { // a sentinel keeps no data
            cmd.addAll(persistent
                    ? List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString())
                    : List.of("--save", "", "--appendonly", "no"));
        }
        Path log = Files.createTempFile("herald-test-redis-", ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                if (command("PING").equals("+PONG")) {
                    Files.deleteIfExists(log);
                    return;
                }
            } catch (IOException notYet) {
                // starting, or loading its file
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String out = Files.readString(log);
                process.destroyForcibly();
                throw new IllegalStateException("redis-server did not start on port " + port + ": " + out);
            }
            Thread.sleep(20);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, with {@code query} (e.g. {@code prefix=x}) when not empty. */
    public URI uri(String query) {
        return URI.create("redis://127.0.0.1:" + port + (query.isEmpty() ? "" : "?" + query));
    }

    public URI uri() {
        return uri("");
    }

    /** Sends one command (inline protocol) and returns the first line of the reply. */
    public String command(String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r') {
                b.append((char) c);
            }
            return b.toString();
        }
    }

    /** Stops the server (SIGTERM: it flushes its append-only file) and waits for it. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Starts it again on the same port (and the same file). */
    public void restart() throws Exception {
        launch();
    }

    /**
     * Freezes the process ({@code SIGSTOP}): connections stay open, nothing answers. Returns once it
     * is stopped (where {@code /proc} tells), not merely signalled, so that nothing sent afterwards
     * can be answered.
     */
    public void pause() throws Exception {
        signal("STOP");
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.isReadable(stat) && System.nanoTime() < deadline) {
            String s = Files.readString(stat); // "pid (comm) STATE ...": T once stopped
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("T")) {
                return;
            }
            Thread.sleep(1);
        }
    }

    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            resume(); // a paused server ignores SIGTERM until continued
            stop();
        }
    }
}
