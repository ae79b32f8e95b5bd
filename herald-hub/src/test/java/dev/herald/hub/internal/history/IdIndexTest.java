package dev.herald.hub.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-memory id index against a plain map, through growth and deletions. */
class IdIndexTest {

    @Test
    void agreesWithTheKeptEntriesThroughGrowthReusedIdsAndRetentionStyleRemovals() {
        IdIndex index = new IdIndex();
        java.util.TreeMap<Long, String> kept = new java.util.TreeMap<>();
        Random random = new Random(7);
        long seq = 0;
        for (int round = 0; round < 200_000; round++) {
            if (random.nextInt(3) > 0 || kept.isEmpty()) { // append; about 1 id in 50 is reused
                seq++;
                String id = "urn:uuid:" + random.nextInt(kept.size() / 50 + 1) + (random.nextInt(50) == 0 ? "" : "-" + seq);
                index.add(id, seq);
                kept.put(seq, id);
            } else { // retention drops the oldest, and the store looks for a reused id's next occurrence
                Map.Entry<Long, String> oldest = kept.pollFirstEntry();
                if (index.remove(oldest.getValue(), oldest.getKey())) {
                    kept.entrySet().stream().filter(e -> e.getValue().equals(oldest.getValue())).findFirst()
                            .ifPresent(next -> index.replace(next.getValue(), next.getKey()));
                }
            }
        }
        Map<String, Long> earliest = new HashMap<>();
        kept.forEach((s, id) -> earliest.putIfAbsent(id, s));
        assertThat(index.size()).isEqualTo(earliest.size());
        for (Map.Entry<String, Long> e : earliest.entrySet()) {
            assertThat(index.find(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(index.find("never-added")).isEqualTo(-1);
    }

    @Test
    void aReusedIdIsFlaggedWhenItsEarliestOccurrenceLeavesAndCanBeReplaced() {
        IdIndex index = new IdIndex();
        index.add("same", 1);
        index.add("other", 2);
        index.add("same", 3);
        assertThat(index.find("same")).isEqualTo(1);
        assertThat(index.remove("other", 2)).isFalse();
        assertThat(index.remove("same", 1)).as("occurs again later").isTrue();
        assertThat(index.find("same")).isEqualTo(-1);
        index.replace("same", 3);
        assertThat(index.find("same")).isEqualTo(3);
        assertThat(index.remove("same", 3)).as("a replaced id may occur again: the caller looks").isTrue();
    }
}
