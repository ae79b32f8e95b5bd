package dev.herald.hub.internal.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.Update;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the demo pages' topics from inside the hub, on one scheduled daemon thread, until closed:
 *
 * <ul>
 *   <li>notifications: a JSON notification on {@value #NOTIFICATIONS} every {@link #NOTIFICATION_PERIOD},
 *       one in {@value #ORDER_ONE_IN} of type {@code newOrder}; and a private one on
 *       {@code https://demo.herald.dev/users/{n}/notifications}, for users 1..{@value #USERS} in turn;</li>
 *   <li>market: {@value #SYMBOLS} symbols on {@code https://demo.herald.dev/market/{SYMBOL}}, type
 *       {@code tick}, conflation key {@code price}, each ticking about {@value #TICKS_PER_SYMBOL_PER_SECOND}
 *       times a second;</li>
 *   <li>news: an {@code article} on {@value #NEWS} every {@link #NEWS_PERIOD}.</li>
 * </ul>
 *
 * <p>Thread-safe: {@link #start} and {@link #close} once each, from any thread.
 */
public final class DemoPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoPublisher.class);

    public static final String BASE = "https://demo.herald.dev/";
    public static final String NOTIFICATIONS = BASE + "notifications";
    public static final String NEWS = BASE + "news";
    public static final String MARKET_PREFIX = BASE + "market/";
    public static final int USERS = 3;
    public static final int SYMBOLS = 40;
    public static final int TICKS_PER_SYMBOL_PER_SECOND = 2;
    static final int ORDER_ONE_IN = 3;
    static final Duration MARKET_PERIOD = Duration.ofMillis(250);
    static final Duration NOTIFICATION_PERIOD = Duration.ofSeconds(2);
    static final Duration NEWS_PERIOD = Duration.ofSeconds(3);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private static final String[] TITLES = {"Build finished", "New comment on your post", "Disk usage at 80%",
        "Deployment approved", "Password changed", "Weekly report ready", "New follower", "Invoice paid"};
    private static final String[] CUSTOMERS = {"Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis"};
    private static final String[] SECTIONS = {"World", "Tech", "Science", "Business", "Sport", "Culture"};
    private static final String[] SUBJECTS = {"A research team", "City council", "Start-up", "Museum", "Central bank",
        "Local team", "Space agency", "Open-source project"};
    private static final String[] VERBS = {"unveils", "announces", "postpones", "celebrates", "questions",
        "launches", "reviews", "wins"};
    private static final String[] OBJECTS = {"a new plan", "record results", "its annual festival",
        "a faster protocol", "the long-awaited report", "a surprise partnership", "a bold experiment"};

    private final Function<Update, CompletableFuture<String>> publisher;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-demo");
        t.setDaemon(true);
        return t;
    });
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random();
    private final String[] symbols = new String[SYMBOLS];
    private final double[] prices = new double[SYMBOLS];
    private long sequence;

    /** @param publisher publishes one update in-process (e.g. {@code Hub::publishAsync}) */
    public DemoPublisher(Function<Update, CompletableFuture<String>> publisher) {
        this.publisher = publisher;
        for (int i = 0; i < SYMBOLS; i++) {
            symbols[i] = symbol(i);
            prices[i] = 20 + random.nextInt(480) + random.nextInt(100) / 100.0;
        }
    }

    /** Starts publishing. */
    public void start() {
        executor.scheduleAtFixedRate(() -> run(this::tickMarket), 0, MARKET_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleAtFixedRate(() -> run(this::notifyUsers), 0, NOTIFICATION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleAtFixedRate(() -> run(this::publishNews), 0, NEWS_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        log.info("demo publisher started: {} market symbols, notifications and news under {}", SYMBOLS, BASE);
    }

    /** Stops publishing and waits (briefly) for the current step to finish. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one step; a failure (hub closing, history full) is logged and the next step tries again. */
    private void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.debug("demo step failed: {}", e.toString());
        }
    }

    /** The ticker symbol number {@code i}: three or four capital letters, unique per {@code i}. */
    static String symbol(int i) {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return "" + letters.charAt(i % 26) + letters.charAt((i * 7 + 3) % 26) + letters.charAt((i * 11 + 5) % 26)
                + (i >= 26 ? "X" : "");
    }

    private void tickMarket() {
        int perStep = (int) (SYMBOLS * TICKS_PER_SYMBOL_PER_SECOND * MARKET_PERIOD.toMillis() / 1000);
        for (int n = 0; n < perStep; n++) {
            int i = random.nextInt(SYMBOLS);
            double change = Math.round(prices[i] * (random.nextGaussian() * 0.004) * 100) / 100.0;
            prices[i] = Math.max(1, Math.round((prices[i] + change) * 100) / 100.0);
            Map<String, Object> tick = new LinkedHashMap<>();
            tick.put("symbol", symbols[i]);
            tick.put("price", prices[i]);
            tick.put("change", change);
            tick.put("time", System.currentTimeMillis());
            // one conflation key per symbol's topic: a conflating dashboard that falls behind gets the latest tick
            send(Update.builder(MARKET_PREFIX + symbols[i]).type("tick").conflationKey("price").data(write(tick))
                    .build());
        }
    }

    private void notifyUsers() {
        long n = ++sequence;
        Map<String, Object> body = new LinkedHashMap<>();
        Update.Builder update = Update.builder(NOTIFICATIONS);
        if (n % ORDER_ONE_IN == 0) {
            body.put("orderId", "A-" + (1000 + n));
            body.put("customer", pick(CUSTOMERS));
            body.put("total", (500 + random.nextInt(49_500)) / 100.0);
            update.type("newOrder");
        } else {
            body.put("title", pick(TITLES));
            body.put("level", random.nextInt(5) == 0 ? "warning" : "info");
        }
        body.put("time", Instant.now().toString());
        send(update.data(write(body)).build());
        int user = 1 + (int) ((n - 1) % USERS); // round robin: each user hears every USERS periods
        Map<String, Object> mine = new LinkedHashMap<>();
        mine.put("title", "Private message for user " + user);
        mine.put("level", "info");
        mine.put("time", Instant.now().toString());
        send(Update.builder(BASE + "users/" + user + "/notifications").privateUpdate(true).data(write(mine)).build());
    }

    private void publishNews() {
        Map<String, Object> article = new LinkedHashMap<>();
        article.put("headline", pick(SUBJECTS) + " " + pick(VERBS) + " " + pick(OBJECTS));
        article.put("section", pick(SECTIONS));
        article.put("published", Instant.now().toString());
        send(Update.builder(NEWS).type("article").data(write(article)).build());
    }

    private void send(Update update) {
        publisher.apply(update).whenComplete((id, e) -> {
            if (e != null) {
                log.debug("demo publish failed: {}", e.toString());
            }
        });
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
