package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo publisher ({@code Hub.Builder.demo}) feeds the demo topics until the hub closes. */
class DemoPublisherTest {

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void demoHubTicksManySymbolsSendsTypedNotificationsAndKeepsUserTopicsPrivate() throws Exception {
        try (Hub hub = TestHubs.builder().demo(true).build().start()) {
            try (SseStream market = SseStream.open(TestHubs.url(hub, "match_urlpattern=" + q("https://demo.herald.dev/market/*")))) {
                List<SseEvent> ticks = market.next(60, Duration.ofSeconds(5)); // about 80 a second
                assertThat(ticks).allSatisfy(e -> assertThat(e.type()).isEqualTo("tick"));
                Set<String> symbols = ticks.stream().map(e -> json(e).get("symbol").asText()).collect(Collectors.toSet());
                assertThat(symbols.size()).isGreaterThan(10);
            }
            String userTopic = "https://demo.herald.dev/users/1/notifications";
            try (SseStream publicOnes = SseStream.open(TestHubs.url(hub, "match=" + q("https://demo.herald.dev/notifications")));
                 SseStream anonymous = SseStream.open(TestHubs.url(hub, "match=" + q(userTopic)));
                 SseStream user = SseStream.open(TestHubs.url(hub, "match=" + q(userTopic)),
                         "Authorization", "Bearer " + Tokens.subscriber(TestHubs.AUDIENCE, userTopic))) {
                List<SseEvent> notes = publicOnes.next(3, Duration.ofSeconds(8)); // one every 2 s, every third a newOrder
                assertThat(notes).extracting(SseEvent::type).contains("newOrder");
                assertThat(json(user.next(Duration.ofSeconds(10))).get("title").asText()).contains("user 1");
                assertThat(anonymous.poll(Duration.ofMillis(200))).isNull();
            }
        }
    }

    static JsonNode json(SseEvent e) {
        try {
            return new ObjectMapper().readTree(e.data());
        } catch (Exception ex) {
            throw new AssertionError(e.data(), ex);
        }
    }
}
