package dev.herald.hub.internal.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Mercure §"Subscription Events": the topic template, each variable percent-encoded exactly once. */
class SubscriptionTopicsTest {

    final SubscriptionTopics topics = new SubscriptionTopics("/.well-known/mercure");

    @Test
    void theSpecificationsExampleTopic() {
        assertThat(topics.topic("urlpattern", "https://example.com/:selector", "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6"))
                .isEqualTo("/.well-known/mercure/subscriptions/urlpattern/https%3A%2F%2Fexample.com%2F%3Aselector/"
                        + "urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6");
    }

    @Test
    void encodingKeepsOnlyUnreservedCharactersAndEncodesAPercentOnce() {
        assertThat(SubscriptionTopics.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(SubscriptionTopics.encode("a%2Fb")).isEqualTo("a%252Fb");
        assertThat(SubscriptionTopics.encode("* /?#[]@!$&'()+,;=")).isEqualTo(
                "%2A%20%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2B%2C%3B%3D");
        assertThat(SubscriptionTopics.encode("é😀")).isEqualTo("%C3%A9%F0%9F%98%80");
    }

    @Property
    void decodingUndoesEncoding(@ForAll String value) {
        String encoded = SubscriptionTopics.encode(value);
        assertThat(encoded).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})*");
        if (value.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)) { // lone surrogates are not UTF-8
            assertThat(SubscriptionTopics.decode(encoded)).isEqualTo(value);
        }
    }

    @Test
    void requestPathsOfTheThreeShapes() {
        assertThat(SubscriptionTopics.parse("")).contains(new SubscriptionTopics.Query(null, null, null));
        assertThat(SubscriptionTopics.parse("/exact/https%3a%2F%2Fexample.com")).contains(
                new SubscriptionTopics.Query("exact", "https://example.com", null));
        assertThat(SubscriptionTopics.parse("/exact/a/urn:uuid:1")).contains(
                new SubscriptionTopics.Query("exact", "a", "urn:uuid:1"));
        assertThat(SubscriptionTopics.parse("/exact//x")).contains(new SubscriptionTopics.Query("exact", "", "x"));
        assertThat(SubscriptionTopics.parse("/")).isEmpty();
        assertThat(SubscriptionTopics.parse("/exact")).isEmpty();
        assertThat(SubscriptionTopics.parse("/exact/a/b/c")).isEmpty();
        assertThat(SubscriptionTopics.parse("x/exact/a")).isEmpty();
        assertThatThrownBy(() -> SubscriptionTopics.parse("/exact/%4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscriptionTopics.parse("/exact/%C3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCanonicalPathOfAQueryIsTheTopicForm() {
        SubscriptionTopics.Query q = SubscriptionTopics.parse("/exact/https:%2f%2fexample.com/urn:uuid:1").orElseThrow();
        assertThat(q.path(topics)).isEqualTo("/.well-known/mercure/subscriptions/exact/https%3A%2F%2Fexample.com/urn%3Auuid%3A1");
        assertThat(SubscriptionTopics.parse("").orElseThrow().path(topics)).isEqualTo("/.well-known/mercure/subscriptions");
    }

    @Test
    void subscriptionTopicsAreThoseBelowTheCollection() {
        assertThat(topics.isSubscriptionTopic("/.well-known/mercure/subscriptions/exact/a/b")).isTrue();
        assertThat(topics.isSubscriptionTopic("/.well-known/mercure/subscriptions")).isFalse();
        assertThat(topics.isSubscriptionTopic("/.well-known/mercure/subscriptionsx/a")).isFalse();
        assertThat(topics.isSubscriptionTopic("https://example.com/.well-known/mercure/subscriptions/a")).isFalse();
    }

    @Test
    void theHubPathMustBeAPathWithoutTrailingSlash() {
        assertThatThrownBy(() -> new SubscriptionTopics("/hub/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionTopics("hub")).isInstanceOf(IllegalArgumentException.class);
    }
}
