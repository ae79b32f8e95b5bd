package dev.herald.hub.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian {@code chromium} driven through {@code chromedriver}, for the tests that load pages
 * in a real browser; skipped (or failed under {@code HERALD_REQUIRE_ALL_TESTS=1}) when either is not
 * installed ({@link External}). Each call starts its own browser with a fresh profile; quit it.
 */
public final class Chromium {

    private Chromium() {
    }

    /** A new headless browser with a 1280×900 window. */
    public static ChromeDriver start() throws IOException {
        Path chromium = External.require("chromium", "chromium");
        Path driver = External.require("chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory("herald-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
