package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.herald.hub.test.Chromium;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Step 3 and 4 of {@code docs/getting-started.md}: its {@code hello.html}, served from another origin
 * (as {@code python3 -m http.server 3000} would) and loaded in Chromium, shows an update published to a
 * hub started with that origin in {@code --cors-origins}. Only the two addresses are changed, to this
 * test's ports.
 */
class GettingStartedTest {

    static final Path DOC = Path.of("..", "docs", "getting-started.md");

    static String documentedPage() throws Exception {
        Matcher m = Pattern.compile("<!-- GettingStartedTest:[^\\n]*\\n```html\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertThat(m.find()).as("the tested page in " + DOC).isTrue();
        return m.group(1);
    }

    @Test
    void theDocumentedPageShowsWhatIsPublished() throws Exception {
        String page = documentedPage();
        assertThat(page).contains("http://localhost:8080/.well-known/mercure");
        HttpServer pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String origin = "http://localhost:" + pages.getAddress().getPort();
        ChromeDriver browser = null;
        try (Hub hub = TestHubs.builder().corsOrigins(List.of(origin)).build().start()) {
            byte[] body = page.replace("http://localhost:8080", "http://localhost:" + hub.address().getPort())
                    .getBytes(StandardCharsets.UTF_8);
            pages.createContext("/hello.html", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            pages.start();
            browser = Chromium.start();
            browser.get(origin + "/hello.html");
            await().atMost(Duration.ofSeconds(15)).until(() -> hub.subscriberCount() >= 1);
            assertThat(browser.findElements(By.cssSelector("#updates li"))).isEmpty();
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/hello", "data",
                    "Hello, <b>browser</b>");
            ChromeDriver b = browser;
            await().atMost(Duration.ofSeconds(15)).until(() -> !b.findElements(By.cssSelector("#updates li")).isEmpty());
            WebElement li = browser.findElement(By.cssSelector("#updates li"));
            assertThat(li.getText()).isEqualTo("Hello, <b>browser</b>"); // shown as text, not markup
        } finally {
            if (browser != null) {
                browser.quit();
            }
            pages.stop(0);
        }
    }
}
