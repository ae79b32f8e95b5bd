package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Chromium;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.TestPage;
import dev.herald.hub.test.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The stream ticket flow in a real headless Chromium, as docs/hub.md shows it: a page on another
 * origin fetches a ticket with its bearer token, opens an {@code EventSource} with it and receives a
 * private update; when the hub ends the stream, the browser's own reconnection (same URL, spent
 * ticket) is refused, the page sees the {@code EventSource} fail for good, fetches a new ticket and
 * resumes with {@code last_event_id}, missing nothing.
 */
class BrowserTicketTest {

    static final String TOPIC = "https://example.com/users/alice/inbox";

    TestPage pages;
    Hub hub;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        pages = TestPage.start();
        String origin = pages.origin();
        hub = TestHubs.builder()
                .corsOrigins(List.of(origin))
                .maxStreamLifetime(Duration.ofSeconds(3)) // the hub ends the stream; the browser comes back
                .build().start();
        String token = Tokens.mint().subject("alice").subscribe(TOPIC).expiresIn(Duration.ofMinutes(5)).sign();
        String page = """
                <!doctype html><meta charset="utf-8"><title>herald ticket test</title>
                <script>
                  window.heraldLog = [];
                  const hub = '%s', topic = '%s', token = '%s';
                  let lastId = null;
                  async function open() {
                    const r = await fetch(hub + '/tickets', {method: 'POST', headers: {Authorization: 'Bearer ' + token}});
                    const {ticket} = await r.json();
                    heraldLog.push({kind: 'ticket', status: r.status});
                    const url = new URL(hub);
                    url.searchParams.append('match', topic);
                    url.searchParams.set('ticket', ticket);
                    if (lastId) url.searchParams.set('last_event_id', lastId);
                    const es = new EventSource(url);
                    es.onopen = () => heraldLog.push({kind: 'open'});
                    es.onmessage = e => { lastId = e.lastEventId; heraldLog.push({kind: 'message', data: e.data}); };
                    es.onerror = () => {
                      heraldLog.push({kind: 'error', readyState: es.readyState});
                      if (es.readyState === EventSource.CLOSED) open(); // the ticket was refused: a new one
                    };
                  }
                  open();
                </script>
                """.formatted(hub.url(), TOPIC, token);
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
    void aPageOpensAPrivateStreamWithATicketAndSeesTheSpentTicketRefusedOnReconnection() throws Exception {
        String publisher = TestHubs.publisherToken();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("open") == 1);
        assertThat(log()).first().isEqualTo(Map.of("kind", "ticket", "status", 200L));

        Publish.ok(hub.url(), publisher, "topic", TOPIC, "data", "first", "private", "on", "retry", "1500");
        await().atMost(Duration.ofSeconds(5)).until(() -> count("message") == 1);

        // the hub ends the stream; EventSource reconnects with the same URL, whose ticket is spent: refused
        // for good (readyState CLOSED), never downgraded to an anonymous stream
        await().atMost(Duration.ofSeconds(15)).until(() -> log().stream().anyMatch(
                e -> "error".equals(e.get("kind")) && Long.valueOf(2).equals(e.get("readyState"))));
        Publish.ok(hub.url(), publisher, "topic", TOPIC, "data", "while away", "private", "on");

        // the page fetched a new ticket and resumed after the last event it saw
        await().atMost(Duration.ofSeconds(10)).until(() -> count("message") == 2);
        assertThat(log()).filteredOn(e -> "message".equals(e.get("kind"))).extracting(e -> e.get("data"))
                .containsExactly("first", "while away");
        assertThat(count("ticket")).isEqualTo(2);
        assertThat(count("open")).isEqualTo(2);
    }
}
