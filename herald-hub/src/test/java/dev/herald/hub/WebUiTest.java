package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.test.Chromium;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web UI in a real headless Chromium against a hub running the demo publisher in development
 * mode: every page loads and updates live, the overview's publish form publishes an event that the
 * page then shows, the overview shows updates of any type (with the development token when subscribers
 * need one, or says why it cannot), the market chart's axis labels tell its prices apart, and the
 * presence page follows other tabs arriving, moving and closing. Screenshots go to {@code target/screenshots/}.
 */
class WebUiTest {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration LIVE = Duration.ofSeconds(15);

    static Hub hub;
    static ChromeDriver browser;
    static String origin;

    @BeforeAll
    static void start() throws Exception {
        String devToken = Tokens.mint().subject("ui-dev").publish("*").subscribe("*").expiresIn(Duration.ofMinutes(10)).sign();
        hub = TestHubs.builder().demo(true).subscriptions(true).uiToken(devToken).uiTokenMinter(Tokens.uiMinter())
                .build().start();
        origin = "http://127.0.0.1:" + hub.address().getPort();
        browser = Chromium.start("--window-size=1280,900");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    static int count(String css) {
        return browser.findElements(By.cssSelector(css)).size();
    }

    static void screenshot(String name) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void overviewShowsLiveCountersAndEventsAndItsPublishFormPublishesWithTheDevToken() throws Exception {
        browser.get(origin + "/");
        await().atMost(LIVE).until(() -> text("#status").equals("live"));
        await().atMost(LIVE).until(() -> text("#subscribers").matches("[1-9][0-9]*"));
        await().atMost(LIVE).until(() -> text("#patterns").matches("[1-9][0-9]*")); // the page's own match=*
        assertThat(text("#topics")).matches("[0-9]+");
        await().atMost(LIVE).until(() -> Integer.parseInt(text("#event-count")) > 20); // demo ticks on match=*
        await().atMost(LIVE).until(() -> !text("#publish-rate").equals("–") && Double.parseDouble(text("#publish-rate")) > 0);
        screenshot("overview");

        WebElement match = browser.findElement(By.id("match"));
        match.clear();
        match.sendKeys("https://example.com/ui-test/*");
        browser.findElement(By.cssSelector("#filter button")).click();
        await().atMost(LIVE).until(() -> text("#status").equals("live"));
        assertThat(browser.findElement(By.id("token")).getAttribute("value")).isNotEmpty(); // handed out in dev mode
        WebElement topic = browser.findElement(By.id("topic"));
        topic.clear();
        topic.sendKeys("https://example.com/ui-test/1");
        browser.findElement(By.id("type")).sendKeys("uiTest");
        WebElement data = browser.findElement(By.id("data"));
        data.clear();
        data.sendKeys("hello from the form");
        browser.findElement(By.id("publish-button")).click();

        await().atMost(LIVE).until(() -> text("#publish-result").startsWith("published: urn:uuid:"));
        await().atMost(LIVE).until(() -> text("#events").contains("hello from the form"));
        assertThat(text("#events li.event .tag")).isEqualTo("uiTest");
        // a type the page was never told of, published elsewhere: an EventSource would not hear it
        Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", "https://example.com/ui-test/2", "type",
                "typeNoPageKnows", "data", "published elsewhere");
        await().atMost(LIVE).until(() -> text("#events").contains("published elsewhere"));
        assertThat(text("#events li.event .tag")).isEqualTo("typeNoPageKnows");
        screenshot("overview-published");
    }

    @Test
    void overviewFollowsTheHubWithTheDevTokenWhenSubscribersNeedOneAndSaysWhyWithoutIt() throws Exception {
        String devToken = Tokens.mint().subject("ui-dev").publish("*").subscribe("*").expiresIn(Duration.ofMinutes(10)).sign();
        try (Hub withToken = TestHubs.builder().anonymous(false).uiToken(devToken).build().start();
             Hub withoutToken = TestHubs.builder().anonymous(false).build().start()) {
            browser.get("http://127.0.0.1:" + withToken.address().getPort() + "/");
            await().atMost(LIVE).until(() -> text("#status").equals("live"));
            Publish.ok(withToken.url(), TestHubs.publisherToken(), "topic", "https://example.com/closed", "type", "custom",
                    "data", "seen with the development token");
            await().atMost(LIVE).until(() -> text("#events").contains("seen with the development token"));

            // cookies ignore ports: the notification demo's token cookie for 127.0.0.1 would let the page in
            browser.manage().deleteAllCookies();
            browser.get("http://127.0.0.1:" + withoutToken.address().getPort() + "/");
            await().atMost(LIVE).until(() -> text("#status").equals("refused"));
            assertThat(text("#events")).contains("refused", "401", "--anonymous", "--dev");
            assertThat(count("#events li.event")).isZero();
            screenshot("overview-refused");
        }
    }

    @Test
    void theTokenMinterMintsATokenThePublishFormThenUses() throws Exception {
        browser.get(origin + "/");
        await().atMost(LIVE).until(() -> browser.findElement(By.id("minter")).isDisplayed());
        WebElement publish = browser.findElement(By.id("mint-publish"));
        publish.clear();
        publish.sendKeys("https://example.com/minted/*");
        browser.findElement(By.id("mint-button")).click();
        await().atMost(LIVE).until(() -> text("#mint-result").startsWith("valid until"));
        String token = browser.findElement(By.id("minted")).getAttribute("value");
        assertThat(token.split("\\.")).hasSize(3);
        browser.findElement(By.id("use-minted")).click();
        assertThat(browser.findElement(By.id("token")).getAttribute("value")).isEqualTo(token);

        WebElement topic = browser.findElement(By.id("topic"));
        topic.clear();
        topic.sendKeys("https://example.com/minted/1");
        browser.findElement(By.id("publish-button")).click();
        await().atMost(LIVE).until(() -> text("#publish-result").startsWith("published: urn:uuid:"));
        topic.clear();
        topic.sendKeys("https://example.com/elsewhere");
        browser.findElement(By.id("publish-button")).click();
        await().atMost(LIVE).until(() -> text("#publish-result").startsWith("403"));
        browser.executeScript("document.getElementById('minter').scrollIntoView()");
        screenshot("overview-token-minter");
    }

    @Test
    void marketTilesTickAndTheSelectedSymbolIsCharted() throws Exception {
        browser.get(origin + "/demo/market");
        await().atMost(LIVE).until(() -> count(".tile") >= 30);
        String symbol = browser.findElement(By.cssSelector(".tile.selected")).getAttribute("data-symbol");
        // the count first: a tick landing between the two reads then shows in the price, and the
        // price can only change again with a later tick, which the count must have seen
        int ticks = Integer.parseInt(text("#tick-count"));
        String price = text(".tile.selected .price");
        await().atMost(LIVE).until(() -> !text(".tile.selected .price").equals(price));
        assertThat(Integer.parseInt(text("#tick-count"))).isGreaterThan(ticks);
        assertThat(text("#chart-title")).startsWith(symbol);
        screenshot("market");

        // a price of 100 or more moving by cents: the y axis needs decimals to tell its lines apart
        WebElement dear = browser.findElements(By.cssSelector(".tile")).stream()
                .filter(t -> Double.parseDouble(t.findElement(By.cssSelector(".price")).getText()) >= 100)
                .findFirst().orElseThrow();
        dear.click();
        String dearPrice = dear.findElement(By.cssSelector(".price")).getText();
        await().atMost(LIVE).until(() -> !dear.findElement(By.cssSelector(".price")).getText().equals(dearPrice));
        String[] labels = browser.findElement(By.id("chart")).getAttribute("data-y-labels").split(" ");
        assertThat(labels).hasSize(5).doesNotHaveDuplicates();
        assertThat(Double.parseDouble(labels[0])).isGreaterThan(Double.parseDouble(labels[4]));
    }

    @Test
    void notificationCentreShowsPublicNotificationsOrdersAndUserOnesPrivateNotifications() throws Exception {
        browser.get(origin + "/demo/notifications");
        await().atMost(LIVE).until(() -> count("#notifications li.notification") >= 1);
        await().atMost(LIVE).until(() -> count("#orders li.order") >= 1); // every third notification
        await().atMost(LIVE).until(() -> count("#private li.private") >= 1); // needs the dev token's cookie
        assertThat(text("#private li.private")).contains("user 1");
        assertThat(Integer.parseInt(text("#unread"))).isPositive();
        screenshot("notifications");
    }

    @Test
    void newsFeedShowsStoriesAsTheyArrive() throws Exception {
        browser.get(origin + "/demo/news");
        await().atMost(LIVE).until(() -> count("#articles li.article") >= 1);
        int before = count("#articles li.article");
        String newest = text("#articles li.article h3");
        await().atMost(LIVE).until(() -> count("#articles li.article") > before
                || !text("#articles li.article h3").equals(newest) && before == 10);
        screenshot("news");
    }

    @Test
    void presencePageShowsOtherTabsArrivingMovingToAnotherDocumentAndClosing() throws Exception {
        String first = browser.getWindowHandle();
        browser.get(origin + "/demo/presence");
        await().atMost(LIVE).until(() -> count("#viewers li.viewer.you") == 1); // found itself through its tab topic
        await().atMost(LIVE).until(() -> text("#status").equals("live"));
        assertThat(count("#viewers li.viewer")).isEqualTo(1);
        assertThat(text("#presence-state")).startsWith("listed ");

        browser.switchTo().newWindow(WindowType.TAB);
        String second = browser.getWindowHandle();
        browser.get(origin + "/demo/presence");
        await().atMost(LIVE).until(() -> count("#viewers li.viewer") == 2 && count("#viewers li.viewer.you") == 1);
        String secondSubscriber = browser.findElement(By.cssSelector("#viewers li.viewer.you")).getAttribute("data-subscriber");

        browser.switchTo().window(first);
        await().atMost(LIVE).until(() -> count("#viewers li.viewer") == 2); // the other tab arrived, live
        assertThat(browser.findElements(By.cssSelector("#viewers li.viewer:not(.you)")).get(0).getAttribute("data-subscriber"))
                .isEqualTo(secondSubscriber);
        screenshot("presence-two-viewers");

        browser.switchTo().window(second);
        browser.findElement(By.cssSelector(".tile[data-document=budget]")).click();
        await().atMost(LIVE).until(() -> browser.findElement(By.id("document-title")).getAttribute("textContent").equals("Budget") && count("#viewers li.viewer.you") == 1);

        browser.switchTo().window(first);
        await().atMost(LIVE).until(() -> count("#viewers li.viewer") == 1
                && text(".tile[data-document=budget] .count").equals("1"));
        assertThat(text("#changes")).contains("closed", "Roadmap").contains("opened", "Budget");

        browser.switchTo().window(second);
        browser.close(); // the tab goes: its EventSource with it
        browser.switchTo().window(first);
        await().atMost(LIVE).until(() -> text(".tile[data-document=budget] .count").equals("0"));
        assertThat(count("#viewers li.viewer.you")).isEqualTo(1);
        screenshot("presence");
    }
}
