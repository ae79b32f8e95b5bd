package dev.herald.hub.internal.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.SubscriptionStore;
import dev.herald.hub.internal.compat.PreOneSubscriptionEvents;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import dev.herald.sse.SseEvent;
import dev.herald.sse.SseParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the registry starts from: the subscriptions a history shows started and not ended (a crashed
 * run's), within what retention kept; a store's records; and the ends built for them.
 */
class RegistryStartTest {

    final SubscriptionTopics topics = new SubscriptionTopics("/hub");
    final MemoryHistoryStore history = new MemoryHistoryStore(5);
    long sequence;

    SubscriptionEvent event(String match, String subscriber, boolean active) {
        return SubscriptionEvent.of(SubscriptionDocument.of(topics, "exact", match, subscriber, active, "{\"n\":1}"));
    }

    SubscriptionEvent preOne(String selector, String subscriber, boolean active) {
        String topic = PreOneSubscriptionEvents.topic(topics.hubPath(), selector, subscriber);
        return SubscriptionEvent.preOne(topic, PreOneSubscriptionEvents.data(topic, selector, subscriber, active, null),
                active);
    }

    void store(SubscriptionEvent e) {
        String id = "e" + (++sequence);
        history.append(HistoryEntry.of(sequence, id, List.of(e.topic()), true, 0, e.frame(id)));
    }

    void storeOther(String topic, boolean isPrivate) {
        String id = "e" + (++sequence);
        history.append(HistoryEntry.of(sequence, id, List.of(topic), isPrivate, 0,
                ("id: " + id + "\nevent: mercure\ndata: {}\n\n").getBytes()));
    }

    static List<String> topicsOf(RegistryStart start) {
        return start.active().stream().map(SubscriptionEvent::topic).toList();
    }

    @Test
    void aScanFindsTheStartsWithoutAnEndInEitherShapeAsOfTheLastEntry() {
        store(event("a", "s1", true));
        store(event("a", "s2", true));
        store(preOne("t{x}", "s3", true));
        store(event("a", "s1", false)); // ended before the crash
        storeOther("/hub/subscriptions/exact/b/s4", false); // not the hub's: public
        RegistryStart start = RegistryStart.scan(history, topics);

        assertThat(start.sequence()).isEqualTo(5);
        assertThat(start.lastEventId()).isEqualTo("e5");
        assertThat(topicsOf(start)).containsExactly(event("a", "s2", true).topic(), preOne("t{x}", "s3", true).topic());
        assertThat(start.documents()).as("the API lists the 1.0 ones").extracting(SubscriptionDocument::subscriber)
                .containsExactly("s2");
    }

    @Test
    void aStartRetentionDroppedCannotBeFoundAndAnEndWithoutItsStartIsIgnored() {
        store(event("a", "gone", true)); // dropped below: 5 kept
        store(event("a", "kept", true));
        for (int i = 0; i < 3; i++) {
            storeOther("https://example.com/x", false);
        }
        store(event("a", "gone", false)); // its end is kept, its start is not
        store(event("b", "late", true));
        assertThat(history.oldestSequence()).isEqualTo(3);

        assertThat(topicsOf(RegistryStart.scan(history, topics))).containsExactly(event("b", "late", true).topic());
    }

    @Test
    void anEmptyHistoryStartsWithNothingAndNoCursor() {
        RegistryStart start = RegistryStart.scan(history, topics);
        assertThat(start.sequence()).isZero();
        assertThat(start.lastEventId()).isNull();
        assertThat(start.active()).isEmpty();
    }

    @Test
    void theEndOfAStartIsTheSameDocumentInactiveInTheSameShape() {
        SubscriptionEvent v1 = event("https://example.com/a", "urn:uuid:1", true);
        assertThat(v1.ended().document().json()).isEqualTo(event("https://example.com/a", "urn:uuid:1", false)
                .document().json());
        SubscriptionEvent old = preOne("https://example.com/{id}", "urn:uuid:2", true);
        assertThat(old.ended().frame("x")).isEqualTo(preOne("https://example.com/{id}", "urn:uuid:2", false).frame("x"));

        SseEvent v1End = parse(v1.ended().frame("id-1"));
        assertThat(v1End.type()).isEqualTo("mercure");
        assertThat(v1End.id()).isEqualTo("id-1");
        assertThat(parse(old.ended().frame("id-2")).type()).as("pre-1.0: no event type").isEqualTo("message");
    }

    @Test
    void recordsReadBackAsTheirEventsAndAStoreSnapshotSkipsUnreadableOnes() {
        SubscriptionEvent v1 = event("a", "s1", true);
        SubscriptionEvent old = preOne("t", "s2", true);
        List<SubscriptionStore.Held> held = new ArrayList<>();
        held.add(new SubscriptionStore.Held(v1.topic(), v1.record()));
        held.add(new SubscriptionStore.Held("/hub/subscriptions/exact/x/y", "garbage".getBytes()));
        held.add(new SubscriptionStore.Held(old.topic(), old.record()));
        held.add(new SubscriptionStore.Held("/hub/subscriptions/exact/other/s9", v1.record())); // under another topic
        RegistryStart start = RegistryStart.of(new SubscriptionStore.Snapshot(7, "e7", held));

        assertThat(start.sequence()).isEqualTo(7);
        assertThat(start.lastEventId()).isEqualTo("e7");
        assertThat(topicsOf(start)).containsExactly(v1.topic(), old.topic());
        assertThat(start.documents()).extracting(SubscriptionDocument::json).containsExactly(v1.document().json());

        SubscriptionStore.EndEvent end = SubscriptionEvents.keeper(() -> { }).endOf(old.topic(), old.record());
        SseEvent e = parse(end.frame());
        assertThat(e.id()).isEqualTo(end.eventId()).startsWith("urn:uuid:");
        assertThat(SubscriptionEvent.fromFrame(old.topic(), end.frame()).active()).isFalse();
    }

    static SseEvent parse(byte[] frame) {
        SseEvent[] e = new SseEvent[1];
        SseParser.create(ev -> e[0] = ev).feed(frame);
        return e[0];
    }
}
