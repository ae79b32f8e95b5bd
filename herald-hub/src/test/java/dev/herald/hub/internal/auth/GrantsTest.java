package dev.herald.hub.internal.auth;

import static dev.herald.hub.internal.auth.Mint.DETAIL_TYPE;
import static dev.herald.hub.internal.auth.Mint.detail;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Mercure §"Publishers", §"Subscribers" and §"Payloads": how grants are evaluated. */
class GrantsTest {

    static final String A = "https://example.com/a";
    static final String B = "https://example.com/b";
    static final String C = "https://example.com/c";

    static Grants grants(String... details) {
        try {
            return AuthorizationDetailsParserTest.parse("[" + String.join(",", details) + "]");
        } catch (InvalidTokenException e) {
            throw new AssertionError(e.reason(), e);
        }
    }

    static String withPayload(String topics, String payload) {
        return "{\"type\":\"" + DETAIL_TYPE + "\",\"actions\":[\"subscribe\"],\"topics\":" + topics
                + ",\"payload\":" + payload + "}";
    }

    @Test
    void publishNeedsEveryTopicGranted() {
        Grants grants = grants(detail("[\"publish\"]", "[{\"match\":\"" + A + "\"}]"),
                detail("[\"publish\"]", "[{\"match\":\"" + B + "\"}]"));

        assertThat(grants.canPublish(List.of(A, B))).isTrue();
        assertThat(grants.canPublish(List.of(A))).isTrue();
        assertThat(grants.canPublish(List.of(A, C))).as("an alternate topic not granted").isFalse();
        assertThat(grants.canPublish(List.of(C, A))).isFalse();
        assertThat(grants.canPublish(List.of())).as("no topic is never authorized").isFalse();
    }

    @Test
    void subscribeNeedsOneTopicGranted() {
        Grants grants = grants(detail("[\"subscribe\"]", "[{\"match\":\"" + A + "\"}]"));

        assertThat(grants.canSubscribe(List.of(C, A))).as("granted on the alternate topic").isTrue();
        assertThat(grants.canSubscribe(List.of(B, C))).isFalse();
        assertThat(grants.canSubscribe(List.of())).isFalse();
        assertThat(grants.canSubscribe(A)).isTrue();
    }

    @Test
    void actionsDoNotGrantEachOther() {
        Grants publisher = grants(detail("[\"publish\"]", "[{\"match\":\"*\"}]"));
        Grants subscriber = grants(detail("[\"subscribe\"]", "[{\"match\":\"*\"}]"));

        assertThat(publisher.canPublish(List.of(A))).isTrue();
        assertThat(publisher.canSubscribe(List.of(A))).isFalse();
        assertThat(subscriber.canSubscribe(List.of(A))).isTrue();
        assertThat(subscriber.canPublish(List.of(A))).isFalse();
    }

    @Test
    void oneDetailCanGrantBothActions() {
        Grants grants = grants(detail("[\"publish\",\"subscribe\"]", "[{\"match\":\"" + A + "\"}]"));

        assertThat(grants.canPublish(List.of(A))).isTrue();
        assertThat(grants.canSubscribe(List.of(A))).isTrue();
    }

    @Test
    void payloadOfFirstMatchingSubscribeDetailFollowingTheSpecExample() {
        Grants grants = grants(
                withPayload("[{\"match\":\"https://example.com/foo\"}]", "{\"custom1\":\"only foo\"}"),
                withPayload("[{\"match\":\"https://example.com/bar/:id\",\"match_type\":\"urlpattern\"}]",
                        "{\"custom2\":\"bar\"}"),
                withPayload("[{\"match\":\"*\"}]", "{\"custom3\":\"default\"}"));

        assertThat(grants.payloadFor("https://example.com/foo")).hasValue("{\"custom1\":\"only foo\"}");
        assertThat(grants.payloadFor("https://example.com/bar/:id"))
                .as("the subscription's matcher string treated as a topic").hasValue("{\"custom2\":\"bar\"}");
        assertThat(grants.payloadFor("https://example.com/other")).hasValue("{\"custom3\":\"default\"}");
    }

    @Test
    void broadDetailFirstMasksLaterSpecificPayloads() {
        Grants grants = grants(withPayload("[{\"match\":\"*\"}]", "{\"p\":\"broad\"}"),
                withPayload("[{\"match\":\"" + A + "\"}]", "{\"p\":\"specific\"}"));

        assertThat(grants.payloadFor(A)).hasValue("{\"p\":\"broad\"}");
    }

    @Test
    void firstMatchingDetailWinsEvenWithoutPayload() {
        Grants grants = grants(detail("[\"subscribe\"]", "[{\"match\":\"" + A + "\"}]"),
                withPayload("[{\"match\":\"*\"}]", "{\"p\":\"default\"}"));

        assertThat(grants.payloadFor(A)).isEmpty();
        assertThat(grants.payloadFor(B)).hasValue("{\"p\":\"default\"}");
    }

    @Test
    void payloadOfDetailWithoutSubscribeIsIgnored() {
        Grants grants = grants("{\"type\":\"" + DETAIL_TYPE + "\",\"actions\":[\"publish\"],"
                        + "\"topics\":[{\"match\":\"*\"}],\"payload\":{\"p\":\"publisher\"}}",
                withPayload("[{\"match\":\"*\"}]", "{\"p\":\"subscriber\"}"));

        assertThat(grants.payloadFor(A)).hasValue("{\"p\":\"subscriber\"}");
    }

    @Test
    void noPayloadWithoutMatchingSubscribeDetail() {
        Grants grants = grants(withPayload("[{\"match\":\"" + A + "\"}]", "{\"p\":1}"));

        assertThat(grants.payloadFor(B)).isEmpty();
        assertThat(Grants.none().payloadFor(A)).isEmpty();
    }
}
