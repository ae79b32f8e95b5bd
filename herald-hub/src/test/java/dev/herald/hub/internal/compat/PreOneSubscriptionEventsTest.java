package dev.herald.hub.internal.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.internal.topic.TopicMatchers;
import org.junit.jupiter.api.Test;

/** The pre-1.0 subscription event shape, and that pre-1.0 subscribers' own selectors select it. */
class PreOneSubscriptionEventsTest {

    static final String HUB_PATH = "/.well-known/mercure";
    static final TopicMatchers MATCHERS = TopicMatchers.of("https://hub.example.com" + HUB_PATH);

    @Test
    void theTopicHasTheSelectorAndSubscriberEachEncodedOnceAsAWhole() {
        assertThat(PreOneSubscriptionEvents.topic(HUB_PATH, "https://example.com/books/{id}", "urn:uuid:1-2"))
                .isEqualTo("/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D/urn%3Auuid%3A1-2");
        // an already percent-encoded selector is encoded again, never left as is; non-ASCII as UTF-8
        assertThat(PreOneSubscriptionEvents.topic(HUB_PATH, "a%2Fb caf\u00e9~._-", "s"))
                .isEqualTo(HUB_PATH + "/subscriptions/a%252Fb%20caf%C3%A9~._-/s");
    }

    @Test
    void theDataIsThePreOneDocument() throws Exception {
        String topic = PreOneSubscriptionEvents.topic(HUB_PATH, "https://example.com/{id}", "urn:uuid:1");
        JsonNode doc = new ObjectMapper().readTree(PreOneSubscriptionEvents.data(topic, "https://example.com/{id}",
                "urn:uuid:1", true, "{\"user\":\"kevin\"}"));

        assertThat(doc.get("@context").asText()).isEqualTo("https://mercure.rocks/");
        assertThat(doc.get("id").asText()).isEqualTo(topic);
        assertThat(doc.get("type").asText()).isEqualTo("Subscription");
        assertThat(doc.get("topic").asText()).isEqualTo("https://example.com/{id}");
        assertThat(doc.get("subscriber").asText()).isEqualTo("urn:uuid:1");
        assertThat(doc.get("active").asBoolean()).isTrue();
        assertThat(doc.get("payload").get("user").asText()).isEqualTo("kevin");
        assertThat(doc.has("match")).isFalse();
        // the members, in the order, of the pre-1.0 reference hub's events
        assertThat(PreOneSubscriptionEvents.data(topic, "s", "u", false, null))
                .isEqualTo("{\"@context\":\"https://mercure.rocks/\",\"id\":\"" + topic + "\",\"type\":\"Subscription\","
                        + "\"subscriber\":\"u\",\"topic\":\"s\",\"active\":false}");
    }

    @Test
    void preOneSubscribersSelectTheseTopicsWithTheirUsualTemplate() throws Exception {
        String topic = PreOneSubscriptionEvents.topic(HUB_PATH, "https://example.com/books/{id}", "urn:uuid:1");
        assertThat(MATCHERS.topicSelector(HUB_PATH + "/subscriptions{/topic}{/subscriber}").matches(topic)).isTrue();
        assertThat(MATCHERS.topicSelector(HUB_PATH + "/subscriptions/{topic}/{subscriber}").matches(topic)).isTrue();
        assertThat(PreOneSubscriptionEvents.appliesTo(MATCHERS.topicSelector("plain"))).isTrue();
        assertThat(PreOneSubscriptionEvents.appliesTo(MATCHERS.topicSelector("*"))).isTrue();
        assertThat(PreOneSubscriptionEvents.appliesTo(MATCHERS.create("exact", "plain"))).isFalse();
    }
}
