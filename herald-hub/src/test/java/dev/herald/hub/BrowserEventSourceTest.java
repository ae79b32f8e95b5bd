package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.herald.hub.test.Chromium;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser's own {@code EventSource}, in a real headless Chromium, against the hub: a
 * multi-line update with a custom id and type arrives intact, and after the hub closes the stream
 * the browser reconnects with {@code Last-Event-ID} and receives what was published meanwhile.
 */
class BrowserEventSourceTest {

    static final String TOPIC = "https://example.com/books/1";

    HttpServer pages;
    Hub hub;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + pages.getAddress().getPort();
        hub = TestHubs.builder()
                .corsOrigins(List.of(origin))
                .maxStreamLifetime(Duration.ofSeconds(3)) // the hub closes the stream; the browser must come back
                .build().start();
        String page = """
                <!doctype html><meta charset="utf-8"><title>herald test</title>
                <script>
                  window.heraldLog = [];
                  const es = new EventSource('%s?match=' + encodeURIComponent('%s'));
                  es.onopen = () => heraldLog.push({kind: 'open'});
                  es.onerror = () => heraldLog.push({kind: 'error', readyState: es.readyState});
                  es.addEventListener('bookUpdated', e => heraldLog.push({kind: e.type, data: e.data, id: e.lastEventId}));
                </script>
                """.formatted(hub.url(), TOPIC);
        pages.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.start();

        browser = Chromium.start();
        browser.get(origin + "/");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    @SuppressWarnings("unchecked")
    private List<java.util.Map<String, Object>> log() {
        return (List<java.util.Map<String, Object>>) ((JavascriptExecutor) browser).executeScript("return window.heraldLog;");
    }

    private long count(String kind) {
        return log().stream().filter(e -> kind.equals(e.get("kind"))).count();
    }

    @Test
    void browserReceivesMultiLineUpdateAndResumesWithLastEventIdAfterTheHubClosesTheStream() throws Exception {
        String token = TestHubs.publisherToken();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("open") == 1);

        // retry: 2000 gives the test a wide window to publish while the browser is disconnected
        Publish.ok(hub.url(), token, "topic", TOPIC, "id", "book-1-v1", "type", "bookUpdated", "retry", "2000",
                "data", "{\"title\":\"Dune\",\n\"author\":\"Herbert\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> count("bookUpdated") == 1);
        assertThat(log()).filteredOn(e -> "bookUpdated".equals(e.get("kind"))).first()
                .satisfies(e -> {
                    assertThat(e.get("data")).isEqualTo("{\"title\":\"Dune\",\n\"author\":\"Herbert\"}");
                    assertThat(e.get("id")).isEqualTo("book-1-v1");
                });

        await().atMost(Duration.ofSeconds(10)).until(() -> count("error") == 1); // the hub closed the stream
        Publish.ok(hub.url(), token, "topic", TOPIC, "id", "book-1-v2", "type", "bookUpdated", "data", "while away");

        await().atMost(Duration.ofSeconds(10)).until(() -> count("bookUpdated") == 2);
        assertThat(log()).filteredOn(e -> "bookUpdated".equals(e.get("kind"))).last()
                .satisfies(e -> {
                    assertThat(e.get("data")).isEqualTo("while away");
                    assertThat(e.get("id")).isEqualTo("book-1-v2");
                });
        assertThat(count("open")).isGreaterThanOrEqualTo(2);
    }
}
