package dev.herald.hub.test;

import static dev.herald.hub.test.SubscriptionsApi.param;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads opening and dropping subscriptions on a hub as fast as they can, until closed: some
 * closed politely, some reset, some held a while, some gone before or just as the stream starts.
 * Thread-safe.
 */
public final class Churn implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicBoolean churning = new AtomicBoolean(true);
    private final AtomicInteger churned = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Churn() {
    }

    /** Starts {@code count} threads on the hub at {@code address}, their topics under {@code name}. */
    public static Churn start(InetSocketAddress address, String name, int count) {
        Churn c = new Churn();
        for (int t = 0; t < count; t++) {
            String topics = "https://example.com/churn/" + name + "/" + t + "/";
            Thread th = new Thread(() -> c.run(address, topics), "churn-" + name + "-" + t);
            th.start();
            c.threads.add(th);
        }
        return c;
    }

    /** Subscriptions opened so far. */
    public int churned() {
        return churned.get();
    }

    private void run(InetSocketAddress address, String topics) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<RawHttp> held = new ArrayList<>();
        int i = 0;
        try {
            while (churning.get()) {
                RawHttp raw = new RawHttp(address);
                raw.send("GET /.well-known/mercure?" + param("match", topics + i++)
                        + (random.nextBoolean() ? "&" + param("match_urlpattern", "https://example.com/churn/*") : "")
                        + " HTTP/1.1\r\nHost: hub.test\r\n\r\n");
                if (random.nextInt(4) == 0) {
                    raw.close(); // gone before, or just as, the stream starts
                } else {
                    raw.read(WAIT);
                    held.add(raw);
                }
                if (held.size() > 5 || (!held.isEmpty() && random.nextBoolean())) {
                    RawHttp leaving = held.remove(random.nextInt(held.size()));
                    if (random.nextBoolean()) {
                        leaving.abort();
                    } else {
                        leaving.close();
                    }
                }
                churned.incrementAndGet();
                Thread.sleep(random.nextInt(3));
            }
            for (RawHttp raw : held) {
                raw.close();
            }
        } catch (Exception | AssertionError e) {
            failures.add(e);
        }
    }

    /** Stops churning (every subscription held is closed) and fails if a thread did. */
    @Override
    public void close() throws InterruptedException {
        churning.set(false);
        for (Thread th : threads) {
            th.join(WAIT.toMillis());
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("churn failed", failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
