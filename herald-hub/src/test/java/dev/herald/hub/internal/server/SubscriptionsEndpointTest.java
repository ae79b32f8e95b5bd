package dev.herald.hub.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.internal.subscriptions.SubscriptionDocument;
import dev.herald.hub.internal.subscriptions.SubscriptionRegistry;
import dev.herald.hub.internal.subscriptions.SubscriptionTopics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Subscription API's documents and cache validators, apart from the HTTP exchange. */
class SubscriptionsEndpointTest {

    final SubscriptionTopics topics = new SubscriptionTopics("/.well-known/mercure");

    @Test
    void aCutCollectionIsStillAValidDocumentAndSaysSo() throws Exception {
        SubscriptionDocument a = SubscriptionDocument.of(topics, "exact", "a", "urn:uuid:1", true, "{\"n\":1}");
        SubscriptionDocument b = SubscriptionDocument.of(topics, "exact", "b", "urn:uuid:1", true, null);
        ByteBuf body = SubscriptionsEndpoint.collection(UnpooledByteBufAllocator.DEFAULT, "/.well-known/mercure/subscriptions",
                new SubscriptionRegistry.Snapshot("urn:uuid:9", List.of(a, b), true));
        try {
            JsonNode doc = new ObjectMapper().readTree(body.toString(StandardCharsets.UTF_8));
            assertThat(doc.get("id").asText()).isEqualTo("/.well-known/mercure/subscriptions");
            assertThat(doc.get("type").asText()).isEqualTo("subscriptions");
            assertThat(doc.get("truncated").asBoolean()).isTrue();
            assertThat(doc.get("subscriptions")).hasSize(2);
            assertThat(doc.get("subscriptions").get(0).get("payload").get("n").asInt()).isEqualTo(1);
        } finally {
            body.release();
        }
        ByteBuf empty = SubscriptionsEndpoint.collection(UnpooledByteBufAllocator.DEFAULT, "/x",
                new SubscriptionRegistry.Snapshot(null, List.of(), false));
        assertThat(empty.toString(StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"/x\",\"type\":\"subscriptions\",\"subscriptions\":[]}");
        empty.release();
    }

    @Test
    void theEntityTagIsTheCursorWithWhatATagCannotHoldEncoded() {
        assertThat(SubscriptionsEndpoint.entityTag("urn:uuid:5e94c686")).isEqualTo("\"urn:uuid:5e94c686\"");
        assertThat(SubscriptionsEndpoint.entityTag("a b\"%é")).isEqualTo("\"a%20b%22%25%C3%A9\"");
    }

    @Test
    void ifNoneMatchComparesWeaklyAndAcceptsListsAndTheWildcard() {
        assertThat(SubscriptionsEndpoint.matches(null, "\"x\"")).isFalse();
        assertThat(SubscriptionsEndpoint.matches("\"x\"", "\"x\"")).isTrue();
        assertThat(SubscriptionsEndpoint.matches("W/\"x\"", "\"x\"")).isTrue();
        assertThat(SubscriptionsEndpoint.matches("\"y\", \"x\"", "\"x\"")).isTrue();
        assertThat(SubscriptionsEndpoint.matches("*", "\"x\"")).isTrue();
        assertThat(SubscriptionsEndpoint.matches("\"y\"", "\"x\"")).isFalse();
    }

    @Test
    void linkAttributeValuesAreQuotedStrings() {
        assertThat(SubscriptionsEndpoint.quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }
}
