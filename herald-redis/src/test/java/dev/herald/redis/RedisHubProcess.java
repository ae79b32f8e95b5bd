package dev.herald.redis;

import dev.herald.hub.Hub;
import dev.herald.hub.test.HubProcess;
import dev.herald.hub.test.TestHubs;
import java.net.URI;

/**
 * A hub of a Redis cluster in a process of its own, for tests that kill it: {@code RedisHubProcess
 * REDIS_URI} starts the test hub on a free loopback port with that transport, prints
 * {@code URL <hub url>} on one line, and serves until killed.
 */
public final class RedisHubProcess {

    private RedisHubProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Hub hub = TestHubs.builder().transport(URI.create(args[0])).build().start();
        System.out.println(HubProcess.URL_PREFIX + hub.url());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }

    /** Starts one and returns it with its URL once it listens. */
    static Started start(URI redis) throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), RedisHubProcess.class.getName(), redis.toString())
                .redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(HubProcess.URL_PREFIX)) {
                URI url = URI.create(line.substring(HubProcess.URL_PREFIX.length()));
                Thread drain = new Thread(() -> { // keep reading, so the process never blocks on a full pipe
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (java.io.IOException ended) {
                        // killed
                    }
                }, "test-hub-output");
                drain.setDaemon(true);
                drain.start();
                return new Started(p, url);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("hub process ended before it listened");
    }

    record Started(Process process, URI url) {
    }
}
