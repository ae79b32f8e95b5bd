package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.test.FileLocks;
import dev.herald.hub.test.TestHubs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A history that cannot be used stops the start with a message saying where, why and what to do. */
class HistoryStartupTest {

    @TempDir
    Path dataDir;

    Hub.Builder sqlite() {
        return TestHubs.builder().history(HistoryKind.SQLITE).dataDir(dataDir);
    }

    @Test
    void aFreshDataDirectoryIsCreated() {
        Path nested = dataDir.resolve("a/b");
        try (Hub hub = TestHubs.builder().history(HistoryKind.SQLITE).dataDir(nested).build().start()) {
            assertThat(nested.resolve("history.db")).exists();
        }
    }

    @Test
    void aCorruptDataFileStopsTheStartWithPathCauseAndRemedy() throws Exception {
        Path file = dataDir.resolve("history.db");
        Files.writeString(file, "this is not a database, whatever its name says ".repeat(200));
        assertThatThrownBy(() -> sqlite().build().start())
                .isInstanceOf(HubStartException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("damaged")
                .hasMessageContaining("not a database")
                .hasMessageContaining("move history.db");
        assertThat(Files.readString(file)).as("left as it was, for the operator").startsWith("this is not a database");
    }

    @Test
    void aReadOnlyDataFileStopsTheStartWithPathAndRemedy() throws Exception {
        try (Hub hub = sqlite().build().start()) {
            hub.publish(Update.of("https://example.com/t", "kept"));
        }
        Path file = dataDir.resolve("history.db");
        try (FileLocks.ReadOnly ro = FileLocks.makeReadOnly(file)) {
            assertThatThrownBy(() -> sqlite().build().start())
                    .isInstanceOf(HubStartException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("writable");
        }
        try (Hub hub = sqlite().build().start()) { // writable again: starts, history intact
            assertThat(hub.config().dataDir()).isEqualTo(dataDir);
        }
    }

    @Test
    void anUnwritableDataDirectoryStopsTheStart() throws Exception {
        try (FileLocks.ReadOnly ro = FileLocks.makeReadOnly(dataDir)) {
            assertThatThrownBy(() -> sqlite().build().start())
                    .isInstanceOf(HubStartException.class)
                    .hasMessageContaining(dataDir.toString())
                    .hasMessageContaining("writable");
        }
    }

    @Test
    void aSecondHubOnTheSameDataDirectoryIsRefused() {
        try (Hub first = sqlite().build().start()) {
            assertThatThrownBy(() -> sqlite().build().start())
                    .isInstanceOf(HubStartException.class)
                    .hasMessageContaining("in use by another Herald hub")
                    .hasMessageContaining("--data-dir");
            assertThat(first.publish(Update.of("https://example.com/t", "still fine"))).startsWith("urn:uuid:");
        }
    }
}
