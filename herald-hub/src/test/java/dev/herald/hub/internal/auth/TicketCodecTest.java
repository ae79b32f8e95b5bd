package dev.herald.hub.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.internal.topic.TopicMatchers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record a shared ticket store keeps rebuilds the very authorization of the ticket's token. */
class TicketCodecTest {

    static final String HUB = "https://hub.example.com/.well-known/mercure";
    static final TopicMatchers MATCHERS = TopicMatchers.of(HUB);
    static final TicketCodec CODEC = new TicketCodec(MATCHERS);
    static final Instant EXP = Instant.parse("2026-01-01T01:00:00.123456789Z");
    static final Instant UNTIL = Instant.parse("2026-01-01T00:00:30Z");
    /** Topics on which the original and the decoded grants must answer alike. */
    static final List<String> TOPICS = List.of("https://example.com/books/1", "https://example.com/books/2",
            "https://example.com/users/alice", "https://example.com/users/alice/inbox", "https://other.test/x", "*");

    static Grants details(String json) throws InvalidTokenException {
        return new AuthorizationDetailsParser(MATCHERS, TokenVerifier.MAPPER, 10, 10, 2048).parse(Mint.parse(json));
    }

    static String detail(String actions, String topics, String payload) {
        String d = Mint.detail(actions, topics);
        return d.substring(0, d.length() - 1) + ",\"payload\":" + payload + "}";
    }

    static void assertSameAuthorization(AccessToken decoded, AccessToken original) {
        assertThat(decoded.issuer()).isEqualTo(original.issuer());
        assertThat(decoded.subject()).isEqualTo(original.subject());
        assertThat(decoded.expiresAt()).isEqualTo(original.expiresAt());
        assertThat(decoded.grants().isEmpty()).isEqualTo(original.grants().isEmpty());
        for (String topic : TOPICS) {
            assertThat(decoded.canPublish(List.of(topic))).as("publish " + topic).isEqualTo(original.canPublish(List.of(topic)));
            assertThat(decoded.canSubscribe(List.of(topic))).as("subscribe " + topic)
                    .isEqualTo(original.canSubscribe(List.of(topic)));
            assertThat(decoded.payloadFor(topic)).as("payload " + topic).isEqualTo(original.payloadFor(topic));
        }
    }

    @Test
    void aRecordRebuildsTheTokensClaimsGrantsAndPayloadsInOrder() throws Exception {
        Grants grants = details("[" + detail("[\"subscribe\"]",
                "[{\"match\":\"https://example.com/users/:name\",\"match_type\":\"urlpattern\"}]", "{\"first\":true}")
                + "," + detail("[\"subscribe\",\"publish\",\"other\"]", "[{\"match\":\"https://example.com/books/1\"},"
                + "{\"match\":\"https://example.com/users/alice\"}]", "{\"second\":[1,2]}")
                + "," + Mint.detail("[\"publish\"]", "[{\"match\":\"*\",\"match_type\":\"urlpattern\"}]") + "]");
        AccessToken token = AccessToken.of("https://issuer.test", "alice", EXP, grants);
        assertThat(token.payloadFor("https://example.com/users/alice")).hasValue("{\"first\":true}"); // the first wins

        TicketCodec.Decoded decoded = CODEC.decode(CODEC.encode(token, UNTIL));

        assertThat(decoded.until()).isEqualTo(UNTIL);
        assertSameAuthorization(decoded.token(), token);
        assertThat(decoded.token().canPublish(List.of("https://other.test/x"))).isTrue();
        assertThat(decoded.token().canSubscribe(List.of("https://other.test/x"))).isFalse();
    }

    @Test
    void aTokenWithoutSubjectOrGrantsAndAPreOneTokenRoundTrip() throws Exception {
        AccessToken bare = AccessToken.of("https://issuer.test", null, EXP, Grants.none());
        assertSameAuthorization(CODEC.decode(CODEC.encode(bare, UNTIL)).token(), bare);

        Grants mercure = new MercureClaimParser(MATCHERS, TokenVerifier.MAPPER, 100, 2048).parse(Mint.parse(
                "{\"subscribe\":[\"https://example.com/books/{id}\",\"https://example.com/users/alice\"],"
                        + "\"publish\":[\"*\"],\"payload\":{\"user\":\"alice\"}}"));
        AccessToken old = AccessToken.of("https://issuer.test", "alice", EXP, mercure);
        assertThat(old.canSubscribe(List.of("https://example.com/books/2"))).isTrue();
        assertSameAuthorization(CODEC.decode(CODEC.encode(old, UNTIL)).token(), old);
    }

    @Test
    void aRecordHoldsClaimsNotTheTokenAndAnUnreadableOneIsRefusedWithoutQuotingIt() throws Exception {
        AccessToken token = AccessToken.of("https://issuer.test", "alice", EXP,
                details("[" + Mint.detail("[\"subscribe\"]", "[{\"match\":\"https://example.com/secret-topic\"}]") + "]"));
        String record = new String(CODEC.encode(token, UNTIL), StandardCharsets.UTF_8);
        assertThat(record).startsWith("{\"v\":1,").contains("\"exact\",\"https://example.com/secret-topic\"")
                .hasSizeLessThan(200);

        for (String bad : List.of("", "not json", "[]", "{\"v\":2}", record.replace("\"v\":1", "\"v\":9"),
                record.replace("\"until\"", "\"later\""), record.replace("2026-01-01T00:00:30Z", "soon"),
                record.replace("\"exact\"", "\"regex\""))) {
            assertThatThrownBy(() -> CODEC.decode(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ticket record: ")
                    .message().doesNotContain("secret-topic");
        }
    }

    @Test
    void aPreOneSelectorIsRefusedByAHubThatDoesNotReadThem() throws Exception {
        Grants mercure = new MercureClaimParser(MATCHERS, TokenVerifier.MAPPER, 100, 2048).parse(Mint.parse(
                "{\"subscribe\":[\"https://example.com/books/{id}\"]}"));
        byte[] record = CODEC.encode(AccessToken.of("https://issuer.test", "alice", EXP, mercure), UNTIL);
        // FakeMatchers, like a hub without --compat=0.x, compiles no topic selector: never other grants
        assertThatThrownBy(() -> new TicketCodec(FakeMatchers.INSTANCE).decode(record))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not compile here");
    }
}
