package dev.herald.benchmarks.cluster;

import dev.herald.hub.Hub;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Event streams spread evenly over a target's hubs, read line by line by the JDK client (no thread
 * per stream). Each {@code data:} line holds the {@link System#nanoTime()} its update was scheduled at;
 * the difference to the time it is read is recorded, in microseconds.
 *
 * <p>Thread-safe: lines arrive on the client's threads; {@link #reset} and the readings from the
 * benchmark's.
 */
final class Subscribers implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final LongAdder delivered = new LongAdder();
    private final List<Flow.Subscription> subscriptions = new ArrayList<>();
    private Histogram interval;

    static Subscribers open(ClusterBenchmark.Target target, int count) throws InterruptedException {
        Subscribers s = new Subscribers();
        List<CompletableFuture<?>> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Hub hub = target.hubs().get(i % target.hubs().size());
            URI url = URI.create(hub.url() + "?match=" + URLEncoder.encode(ClusterBenchmark.TOPIC, StandardCharsets.UTF_8));
            opened.add(CLIENT.sendAsync(HttpRequest.newBuilder(url).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(s.new Lines())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (target.hubs().stream().mapToLong(Hub::subscriberCount).sum() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("subscribers did not all connect");
            }
            Thread.sleep(10);
        }
        return s;
    }

    /** Forgets what was recorded so far. */
    void reset() {
        interval = null;
        recorder.reset();
        delivered.reset();
    }

    /** The latency at {@code percentile} of what was read since {@link #reset}, in microseconds. */
    double latencyMicros(double percentile) {
        if (interval == null) {
            interval = recorder.getIntervalHistogram();
        }
        return interval.getValueAtPercentile(percentile);
    }

    long delivered() {
        return delivered.sum();
    }

    @Override
    public void close() {
        synchronized (subscriptions) {
            subscriptions.forEach(Flow.Subscription::cancel);
        }
    }

    private final class Lines implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (subscriptions) {
                subscriptions.add(subscription);
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data: ")) {
                long sent = Long.parseLong(line, 6, line.length(), 10);
                recorder.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
                delivered.increment();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // closed by the benchmark
        }

        @Override
        public void onComplete() {
        }
    }
}
