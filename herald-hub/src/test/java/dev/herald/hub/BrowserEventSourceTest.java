package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Chromium;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.TestPage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser's own {@code EventSource}, in a real headless Chromium, against the hub: a
 * multi-line update with a custom id and type arrives intact, and after the hub closes the stream
 * the browser reconnects with {@code Last-Event-ID} and receives what was published meanwhile.
 */
class BrowserEventSourceTest {

    static final String TOPIC = "https://example.com/books/1";

    TestPage pages;
    Hub hub;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        pages = TestPage.start();
        String origin = pages.origin();
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
        pages.serve(page);

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
            pages.close();
        }
    }

    private List<Map<String, Object>> log() {
        return TestPage.log(browser);
    }

    private long count(String kind) {
        return TestPage.count(browser, kind);
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
