package dev.herald.benchmarks.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One load run: the server, the subscribers, the publishing and the measurement phases. Built by
 * {@link BenchArgs}; every default is a named constant there. Immutable and thread-safe.
 *
 * @param label the workload's name in reports (e.g. {@code W2 fan-out})
 * @param target the kind of server
 * @param urls base URLs: subscribers are spread over them round-robin, the publisher uses the first
 * @param topic the topic (Herald) or channel (Nchan) every subscriber listens to and every update goes to
 * @param token the publisher's bearer token (Herald), or {@code null}
 * @param subscribers subscriber connections to open
 * @param rate publishes per second; 0 for none (idle capacity), {@link Double#POSITIVE_INFINITY} for
 *        as fast as the server answers (each publisher connection sends its next update on the answer)
 * @param publishers publisher connections (each with at most one request in flight)
 * @param dataBytes size of each update's data (a JSON object with the timestamp, padded)
 * @param settle idle time after the subscribers connected, before the idle memory reading
 * @param warmup publishing time before the measurement window
 * @param duration the measurement window
 * @param connectTimeout the longest the subscribers may take to connect
 * @param drain the longest to wait after the window for its events to arrive
 * @param workers subscriber worker processes; 0 to choose from {@code perWorker}
 * @param perWorker the most connections one worker process opens
 * @param workerThreads event loop threads per worker
 * @param connectConcurrency connection attempts in flight per worker
 * @param sourceIps the local addresses subscriber connections bind to, spread over the workers;
 *        {@code ["auto"]} for 127.0.0.2, 127.0.0.3... (one per 5,000 connections) when the server
 *        is on loopback; empty for the system's choice
 * @param serverPids processes whose CPU and memory are reported; empty for none
 * @param serverChildren whether the children of {@code serverPids} count too (nginx workers)
 * @param json where to write the result as JSON, or {@code null}
 * @param quiet no progress line
 * @param workerJvmOptions JVM options of the worker processes
 */
record BenchConfig(String label, Target target, List<URI> urls, String topic, String token, int subscribers,
                   double rate, int publishers, int dataBytes, Duration settle, Duration warmup, Duration duration,
                   Duration connectTimeout, Duration drain, int workers, int perWorker, int workerThreads,
                   int connectConcurrency, List<String> sourceIps, List<Long> serverPids, boolean serverChildren,
                   Path json, boolean quiet, List<String> workerJvmOptions) {

    /** The {@code sourceIps} value asking for one loopback address per worker. */
    static final String AUTO = "auto";

    BenchConfig {
        urls = List.copyOf(urls);
        sourceIps = List.copyOf(sourceIps);
        serverPids = List.copyOf(serverPids);
        workerJvmOptions = List.copyOf(workerJvmOptions);
    }

    /** Whether updates are published at all. */
    boolean publishes() {
        return rate > 0;
    }

    /** How many worker processes hold the subscribers. */
    int workerCount() {
        if (workers > 0) {
            return workers;
        }
        return Math.max(1, (subscribers + perWorker - 1) / perWorker);
    }

    /** How many of the subscribers worker {@code index} opens (an even split, the first ones taking the rest). */
    int subscribersOf(int index) {
        int n = workerCount();
        return subscribers / n + (index < subscribers % n ? 1 : 0);
    }
}
