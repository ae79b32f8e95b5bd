package dev.herald.benchmarks.cluster;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishers over HTTP, round-robin over a target's hubs; each update's data is the
 * {@link System#nanoTime()} it was scheduled at, which {@link Subscribers} compares with when it
 * arrives. Paced: {@value #PACED_THREADS} threads share the slots of a fixed rate. Closed loop: each
 * publisher sends its next update as soon as the last was answered. Not thread-safe; static runs.
 */
final class LatencyRun {

    static final int PACED_THREADS = 4;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOPIC_FIELD = "topic=" + URLEncoder.encode(ClusterBenchmark.TOPIC, StandardCharsets.UTF_8);

    private LatencyRun() {
    }

    record Result(long acknowledged, long errors) {
    }

    static Result paced(List<URI> hubs, String token, int perSecond, Duration duration) throws InterruptedException {
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        long slots = duration.toSeconds() * perSecond;
        double interval = 1e9 / perSecond;
        return run(PACED_THREADS, (thread, i) -> {
            long slot = thread + (long) i * PACED_THREADS;
            if (slot >= slots) {
                return -1;
            }
            long at = start + (long) (slot * interval);
            long wait = at - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            return at;
        }, hubs, token);
    }

    static Result closedLoop(List<URI> hubs, String token, int publishers, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        return run(publishers, (thread, i) -> {
            long now = System.nanoTime();
            return now < end ? now : -1;
        }, hubs, token);
    }

    /** When the {@code i}-th publish of {@code thread} is due (its data), or -1 when the run is over. */
    @FunctionalInterface
    private interface Schedule {
        long next(int thread, int i) throws InterruptedException;
    }

    private static Result run(int threads, Schedule schedule, List<URI> hubs, String token) throws InterruptedException {
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        long at = schedule.next(thread, i);
                        if (at < 0) {
                            return;
                        }
                        URI hub = hubs.get((thread + i) % hubs.size());
                        HttpRequest r = HttpRequest.newBuilder(hub).timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(TOPIC_FIELD + "&data=" + at)).build();
                        try {
                            if (CLIENT.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                                acknowledged.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-publisher-" + t);
            th.start();
            running.add(th);
        }
        for (Thread th : running) {
            th.join();
        }
        return new Result(acknowledged.get(), errors.get());
    }
}
