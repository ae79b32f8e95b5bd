package dev.herald.hub.test;

import dev.herald.hub.HistoryKind;
import dev.herald.hub.Hub;
import java.nio.file.Path;

/**
 * A hub in a process of its own, for tests that kill it: {@code HubProcess DATA_DIR} starts the
 * SQLite-backed test hub on a free loopback port, prints {@code URL <hub url>} on one line, and
 * serves until killed.
 */
public final class HubProcess {

    public static final String URL_PREFIX = "URL ";

    private HubProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Hub hub = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(Path.of(args[0])).build().start();
        System.out.println(URL_PREFIX + hub.url());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
