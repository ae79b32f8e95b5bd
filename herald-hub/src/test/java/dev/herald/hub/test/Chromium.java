package dev.herald.hub.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven through chromedriver, for the browser tests; skipped (or failed
 * under {@code HERALD_REQUIRE_ALL_TESTS=1}) by {@link External} when either is missing. The caller
 * quits the driver.
 */
public final class Chromium {

    private Chromium() {
    }

    /** A fresh browser with its own profile; {@code extraArguments} are added to the command line. */
    public static ChromeDriver start(String... extraArguments) throws IOException {
        Path chromium = External.require("chromium", "chromium");
        Path driver = External.require("chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory("herald-chromium"));
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
