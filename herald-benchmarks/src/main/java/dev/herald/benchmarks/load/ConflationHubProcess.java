package dev.herald.benchmarks.load;

import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import dev.herald.hub.Update;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub side of {@link ConflationBenchmark}, in a JVM of its own so that {@code /proc} shows the
 * hub's CPU and memory alone: an embedded hub (memory history of {@value #HISTORY_EVENTS} events, so
 * it reaches its steady size within seconds) and an in-process publisher of {@code ticks} updates per
 * second on {@code keys} conflation keys (keys drawn at random, each update
 * {@code k<key>:<n>:<epoch ms>:<price>}) plus one update without a key per second
 * ({@code news:<n>:<epoch ms>}), and a last one, {@code news:end:<epoch ms>}.
 *
 * <p>Talks over standard streams: prints {@code READY}, publishes after a {@code go} line for the
 * given seconds, prints {@code MEM <heap bytes> <direct bytes> <subscribers> <conflated> <slow
 * disconnected>} after a full GC every {@code sample} seconds, then {@code NEWEST <n per key,
 * comma-separated>}, {@code NEWS <count>} and {@code DONE}; stops on {@code quit}.
 */
final class ConflationHubProcess {

    static final String TOPIC = "https://example.com/quotes";
    static final int HISTORY_EVENTS = 10_000;

    private ConflationHubProcess() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int ticksPerSecond = Integer.parseInt(args[2]);
        int keys = Integer.parseInt(args[3]);
        int sampleSeconds = Integer.parseInt(args[4]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Hub hub = Hub.builder().address(new InetSocketAddress("127.0.0.1", port)).history(HistoryKind.MEMORY)
                .historyMaxEvents(HISTORY_EVENTS).anonymous(true).publisherJwtKey("x".repeat(32))
                .build().start()) {
            System.out.println("READY");
            System.out.flush();
            if (!"go".equals(in.readLine())) {
                return;
            }
            Thread sampler = new Thread(() -> sample(hub, sampleSeconds), "bench-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long[] newest = new long[keys];
            java.util.Arrays.fill(newest, -1);
            Random random = new Random(42);
            long news = 0;
            long total = (long) seconds * ticksPerSecond;
            long start = System.nanoTime();
            long period = 1_000_000_000L / ticksPerSecond;
            for (long n = 0; n < total; n++) {
                long due = start + n * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int key = random.nextInt(keys);
                newest[key] = n;
                String price = String.format("%.2f", 100 + random.nextGaussian());
                hub.publishAsync(Update.builder(TOPIC).id("t-" + n).conflationKey("k" + key)
                        .data("k" + key + ":" + n + ":" + System.currentTimeMillis() + ":" + price).build());
                if (n % ticksPerSecond == 0) {
                    hub.publishAsync(Update.builder(TOPIC).id("n-" + n).data("news:" + n + ":"
                            + System.currentTimeMillis()).build());
                    news++;
                }
            }
            // the end marker: it queues behind everything held, so a dashboard that has it has the rest
            hub.publish(Update.builder(TOPIC).id("n-end").data("news:end:" + System.currentTimeMillis()).build());
            news++;
            StringBuilder line = new StringBuilder("NEWEST ");
            for (int k = 0; k < keys; k++) {
                line.append(k == 0 ? "" : ",").append(newest[k]);
            }
            System.out.println(line);
            System.out.println("NEWS " + news);
            System.out.println("DONE");
            System.out.flush();
            while (!"quit".equals(in.readLine())) {
                // keep serving until the client has read everything
            }
        }
    }

    private static void sample(Hub hub, int seconds) {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = hub.url().resolve("/metrics");
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        while (true) {
            LockSupport.parkNanos(seconds * 1_000_000_000L);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long directBytes = Math.max(0, PlatformDependent.usedDirectMemory()) + direct.getMemoryUsed();
            String scrape;
            try {
                scrape = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                return; // the hub is closing
            }
            System.out.printf("MEM %d %d %d %d %d%n", heap, directBytes, hub.subscriberCount(),
                    (long) value(scrape, "herald_updates_conflated_total"),
                    (long) value(scrape, "herald_subscribers_slow_disconnected_total"));
            System.out.flush();
        }
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
