package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.BlockingMemoryStore;
import dev.herald.hub.test.TestHubs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Group commit: the publishes that arrive while the history stores a batch are stored together in the
 * next one ({@link HistoryStore#appendAll}, one transaction for the SQLite store), so a durable
 * history pays one commit for many publishes instead of one each.
 */
class GroupCommitTest {

    static final String TOPIC = "https://example.com/feed";
    static final int QUEUED = 100;

    /** Records the size of every batch, and holds the first one until released. */
    static final class HeldStore extends BlockingMemoryStore {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batches = new CopyOnWriteArrayList<>();

        @Override
        public void appendAll(List<HistoryEntry> entries) {
            batches.add(entries.size());
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            super.appendAll(entries);
        }
    }

    @Test
    void publishesQueuedDuringACommitAreStoredTogetherInTheNextOne() throws Exception {
        HeldStore store = new HeldStore();
        try (Hub hub = TestHubs.builder().historyStore(store).build().start()) {
            CompletableFuture<String> first = hub.publishAsync(Update.of(TOPIC, "first"));
            assertThat(store.holding.await(5, TimeUnit.SECONDS)).as("the first commit started").isTrue();
            List<CompletableFuture<String>> queued = new ArrayList<>();
            for (int i = 0; i < QUEUED; i++) {
                queued.add(hub.publishAsync(Update.of(TOPIC, "queued " + i)));
            }
            assertThat(first).isNotDone();

            store.release.countDown();
            first.get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

            assertThat(store.batches).as("one commit for the first publish, one for all queued behind it")
                    .containsExactly(1, QUEUED);
            List<HistoryEntry> stored = store.read(0, QUEUED + 1, QUEUED + 1);
            assertThat(stored).extracting(HistoryEntry::id).containsExactly(ids(first, queued));
        }
    }

    /** The ids the publishes got, in the order they were made. */
    static String[] ids(CompletableFuture<String> first, List<CompletableFuture<String>> queued) {
        List<String> ids = new ArrayList<>();
        ids.add(first.join());
        queued.forEach(f -> ids.add(f.join()));
        return ids.toArray(String[]::new);
    }
}
