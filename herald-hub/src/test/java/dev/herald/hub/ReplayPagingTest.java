package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.hub.internal.server.HubServer;
import dev.herald.hub.test.BlockingMemoryStore;
import dev.herald.hub.test.SlowSseClient;
import dev.herald.hub.test.TestHubs;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Replay reads the history in pages of {@link HubServer#REPLAY_PAGE_SIZE} and reads the next page only
 * once the previous one reached the subscriber's socket: a subscriber catching up on a long history
 * never has it all in the hub's memory, and one that stops reading stops the reads.
 */
class ReplayPagingTest {

    static final String TOPIC = "https://example.com/feed";
    static final int PAGES = 12;
    static final int UPDATES = PAGES * HubServer.REPLAY_PAGE_SIZE;

    /** Counts the pages read, and the largest asked for and returned. */
    static final class CountingStore extends BlockingMemoryStore {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger largestLimit = new AtomicInteger();
        final AtomicInteger largestPage = new AtomicInteger();

        CountingStore() {
            super(UPDATES);
        }

        @Override
        public List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
            List<HistoryEntry> page = super.read(afterSequence, upToSequence, limit);
            reads.incrementAndGet();
            largestLimit.accumulateAndGet(limit, Math::max);
            largestPage.accumulateAndGet(page.size(), Math::max);
            return page;
        }
    }

    @Test
    void replayReadsBoundedPagesAndTheNextOnlyOnceTheSubscriberTookThePrevious() throws Exception {
        CountingStore store = new CountingStore();
        try (Hub hub = TestHubs.builder().historyStore(store).build().start()) {
            String data = "x".repeat(8 * 1024); // a page is about 2 MiB
            List<CompletableFuture<String>> published = new ArrayList<>();
            for (int i = 0; i < UPDATES; i++) {
                published.add(hub.publishAsync(Update.of(TOPIC, data)));
            }
            CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            String lastId = published.get(UPDATES - 1).join();
            store.reads.set(0);

            String query = "match=" + URLEncoder.encode(TOPIC, StandardCharsets.UTF_8) + "&last_event_id=earliest";
            try (SlowSseClient subscriber = SlowSseClient.open(hub, query)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> store.reads.get() > 0);
                // reading the whole history from memory takes milliseconds: give it far longer
                Thread.sleep(1_000);
                // the page being written, and what the kernel's socket buffers took (Linux lets a send
                // buffer grow to 4 MiB, tcp_wmem): a few pages, where reading ahead would read them all
                assertThat(store.reads.get()).as("pages read while the subscriber reads nothing")
                        .isLessThanOrEqualTo(PAGES / 2);

                List<SseEvent> events = subscriber.readUntil(e -> lastId.equals(e.id()), Duration.ofSeconds(30));
                assertThat(events).hasSize(UPDATES);
            }
            assertThat(store.reads.get()).as("one read per page").isEqualTo(PAGES);
            assertThat(store.largestLimit.get()).isEqualTo(HubServer.REPLAY_PAGE_SIZE);
            assertThat(store.largestPage.get()).isEqualTo(HubServer.REPLAY_PAGE_SIZE);
        }
    }
}
