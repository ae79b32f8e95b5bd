package dev.herald.hub.internal.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry follows the dispatched subscription events and nothing else, and answers queries
 * with the cursor of the last update it was told of.
 */
class SubscriptionRegistryTest {

    final SubscriptionTopics topics = new SubscriptionTopics("/hub");
    long sequence;

    SubscriptionRegistry registry(int maxBytes) {
        return new SubscriptionRegistry(topics, "before-start", maxBytes);
    }

    void dispatch(SubscriptionRegistry r, String id, String match, String subscriber, boolean active) {
        SubscriptionDocument doc = SubscriptionDocument.of(topics, "exact", match, subscriber, active, null);
        byte[] frame = SseEncoder.encode(SseEvent.builder().id(id).type("mercure").data(doc.json()).build());
        r.dispatched(++sequence, id, List.of(doc.id()), true, frame);
    }

    static final SubscriptionTopics.Query ALL = new SubscriptionTopics.Query(null, null, null);

    @Test
    void startsAndEndsMaintainTheActiveSubscriptionsAndTheCursorIsTheLastUpdate() {
        SubscriptionRegistry r = registry(SubscriptionRegistry.DEFAULT_MAX_LISTING_BYTES);
        assertThat(r.query(ALL).lastEventId()).isEqualTo("before-start");
        dispatch(r, "e1", "a", "s1", true);
        dispatch(r, "e2", "a", "s2", true);
        dispatch(r, "e3", "b", "s1", true);
        r.dispatched(++sequence, "e4", List.of("https://example.com/other"), false, "data: x\n\n".getBytes());
        SubscriptionRegistry.Snapshot all = r.query(ALL);
        assertThat(all.lastEventId()).isEqualTo("e4");
        assertThat(all.documents()).extracting(SubscriptionDocument::subscriber).containsExactly("s1", "s2", "s1");
        assertThat(r.query(new SubscriptionTopics.Query("exact", "a", null)).documents()).hasSize(2);
        assertThat(r.query(new SubscriptionTopics.Query("exact", "a", "s2")).documents()).hasSize(1);

        dispatch(r, "e5", "a", "s2", false);
        dispatch(r, "e6", "a", "nobody", false); // an end whose start was never stored
        assertThat(r.query(new SubscriptionTopics.Query("exact", "a", "s2")).documents()).isEmpty();
        assertThat(r.query(ALL).documents()).hasSize(2);
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.query(ALL).lastEventId()).isEqualTo("e6");
    }

    @Test
    void onlyPrivateMercureEventsOnASubscriptionTopicNamingItselfAreChanges() {
        SubscriptionRegistry r = registry(SubscriptionRegistry.DEFAULT_MAX_LISTING_BYTES);
        SubscriptionDocument doc = SubscriptionDocument.of(topics, "exact", "a", "s1", true, null);
        byte[] typed = SseEncoder.encode(SseEvent.builder().id("x").type("mercure").data(doc.json()).build());
        byte[] untyped = SseEncoder.encode(SseEvent.builder().id("x").data(doc.json()).build());
        r.dispatched(1, "public", List.of(doc.id()), false, typed);
        r.dispatched(2, "untyped", List.of(doc.id()), true, untyped);
        r.dispatched(3, "elsewhere", List.of(topics.topic("exact", "b", "s1")), true, typed);
        r.dispatched(4, "garbage", List.of(doc.id()), true,
                SseEncoder.encode(SseEvent.builder().type("mercure").data("{not json").build()));
        r.dispatched(5, "two-topics", List.of(doc.id(), "https://example.com/x"), true, typed);
        assertThat(r.size()).isZero();
        assertThat(r.query(ALL).lastEventId()).isEqualTo("two-topics");
        r.dispatched(6, "real", List.of(doc.id()), true, typed);
        assertThat(r.size()).isOne();
    }

    @Test
    void aListingOverTheByteLimitIsCutAndFlagged() {
        SubscriptionDocument sample = SubscriptionDocument.of(topics, "exact", "a", "s0", true, null);
        int limit = 3 * (sample.jsonBytes().length + 1);
        SubscriptionRegistry r = registry(limit);
        for (int i = 0; i < 5; i++) {
            dispatch(r, "e" + i, "a", "s" + i, true);
        }
        SubscriptionRegistry.Snapshot cut = r.query(ALL);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.documents()).extracting(SubscriptionDocument::subscriber).containsExactly("s0", "s1", "s2");
        assertThat(r.query(new SubscriptionTopics.Query("exact", "a", null)).truncated()).isTrue();
        assertThat(r.query(new SubscriptionTopics.Query("exact", "a", "s4")).documents()).hasSize(1);
        dispatch(r, "e5", "a", "s4", false);
        dispatch(r, "e6", "a", "s3", false);
        assertThat(r.query(ALL).truncated()).isFalse();
    }

    @Test
    void theDocumentHasTheSpecificationsPropertiesAndTheRawPayload() {
        SubscriptionDocument doc = SubscriptionDocument.of(topics, "urlpattern", "https://example.com/:id", "urn:uuid:1",
                true, "{\"foo\":\"bar\"}");
        assertThat(doc.json()).isEqualTo("{\"id\":\"/hub/subscriptions/urlpattern/https%3A%2F%2Fexample.com%2F%3Aid/"
                + "urn%3Auuid%3A1\",\"type\":\"subscription\",\"match_type\":\"urlpattern\","
                + "\"match\":\"https://example.com/:id\",\"subscriber\":\"urn:uuid:1\",\"active\":true,"
                + "\"payload\":{\"foo\":\"bar\"}}");
        SubscriptionDocument read = SubscriptionDocument.parse(doc.json());
        assertThat(read.id()).isEqualTo(doc.id());
        assertThat(read.active()).isTrue();
        assertThat(read.jsonBytes()).isEqualTo(doc.jsonBytes());
    }
}
