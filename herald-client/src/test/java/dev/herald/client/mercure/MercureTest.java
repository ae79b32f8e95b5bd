package dev.herald.client.mercure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.client.EventSource;
import dev.herald.client.testing.RecordedRequest;
import dev.herald.client.testing.Recorder;
import dev.herald.client.testing.ScenarioSupport;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The Mercure subscribe and publish helpers against a scripted hub. */
class MercureTest extends ScenarioSupport {

    @Test
    void subscribeSendsTheMatchersTheTokenAndTheLastEventId() throws Exception {
        server.on("/.well-known/mercure", r -> {
            r.stream().write("id: urn:2\nevent: book\ndata: {\"title\":\"Dune\"}\n\n");
            r.hold();
        });
        MercureSubscription subscription = MercureSubscription.builder(server.uri("/.well-known/mercure?x=1"))
                .match("https://example.com/books/1")
                .matchUrlPattern("https://example.com/authors/:id")
                .match("a&b=c d+%;")
                .bearerToken("token.part.sig")
                .lastEventId("urn:1")
                .build();
        Recorder recorder = new Recorder();
        EventSource source = subscription.connect(recorder);
        try {
            List<SseEvent> events = recorder.awaitEvents(1);
            assertThat(events.get(0).type()).isEqualTo("book");
            assertThat(events.get(0).id()).isEqualTo("urn:2");
        } finally {
            source.close();
        }
        RecordedRequest request = server.awaitRequest("/.well-known/mercure", 1);
        assertThat(request.query()).isEqualTo("x=1&match=https%3A%2F%2Fexample.com%2Fbooks%2F1"
                + "&match_urlpattern=https%3A%2F%2Fexample.com%2Fauthors%2F%3Aid&match=a%26b%3Dc+d%2B%25%3B");
        assertThat(request.header("Authorization")).isEqualTo("Bearer token.part.sig");
        assertThat(request.header("Last-Event-ID")).isEqualTo("urn:1");
        assertThat(subscription.toString()).doesNotContain("token.part.sig");
    }

    @Test
    void aSubscriptionNeedsAMatcherAndValidValues() {
        URI hub = URI.create("https://hub.example/.well-known/mercure");
        assertThatThrownBy(() -> MercureSubscription.builder(hub).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("matchers: none (expected: at least one match or matchUrlPattern)");
        assertThatThrownBy(() -> MercureSubscription.builder(hub).match("a\u0000b"))
                .hasMessage("match value: control or format character U+0000 at index 1 (not allowed by Mercure)");
        assertThatThrownBy(() -> MercureSubscription.builder(hub).match("Exact!", "x"))
                .hasMessage("type: Exact! (expected: a matcher type name such as urlpattern)");
    }

    @Test
    void publishPostsTheFormWithTheTokenAndReturnsTheHubsId() throws Exception {
        server.on("/hub", r -> {
            r.status(200, "Content-Type: text/plain; charset=utf-8").write("urn:uuid:42\n");
            r.end();
        });
        MercurePublisher publisher = MercurePublisher.builder(server.uri("/hub")).bearerToken("pub").build();

        String id = publisher.publish(MercureUpdate.builder("https://example.com/books/1")
                .topic("https://example.com/books")
                .data("line 1\nline 2 & more")
                .id("urn:1").type("book").retry(2500).privateUpdate(true).build());

        assertThat(id).isEqualTo("urn:uuid:42");
        RecordedRequest request = server.awaitRequest("/hub", 1);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Authorization")).isEqualTo("Bearer pub");
        assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(form(request.bodyText())).containsExactly(
                "topic=https://example.com/books/1", "topic=https://example.com/books", "data=line 1\nline 2 & more",
                "private=on", "id=urn:1", "type=book", "retry=2500");
    }

    @Test
    void aRefusedUpdateIsAPublishExceptionWithTheStatusAndBody() throws Exception {
        server.onEvery("/hub", r -> {
            r.status(403, "Content-Type: text/plain").write("topic not allowed");
            r.end();
        });
        MercurePublisher publisher = MercurePublisher.builder(server.uri("/hub")).build();
        MercureUpdate update = MercureUpdate.builder("https://example.com/secret").data("x").build();

        assertThatThrownBy(() -> publisher.publish(update)).isInstanceOfSatisfying(MercurePublishException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.body()).isEqualTo("topic not allowed");
            assertThat(e).hasMessage("the hub answered HTTP 403 (expected: 200): topic not allowed");
        });
        assertThatThrownBy(() -> publisher.publishAsync(update).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(MercurePublishException.class);
        assertThat(server.requests("/hub").get(0).hasHeader("Authorization")).isFalse();
    }

    @Test
    void updatesTheHubMustRejectAreRefusedEarly() {
        assertThatThrownBy(() -> MercureUpdate.builder("*")).hasMessage(
                "topic: \"*\" (expected: a non-empty topic other than *)");
        assertThatThrownBy(() -> MercureUpdate.builder("t").id("#1")).hasMessage(
                "id: \"#1\" (expected: non-empty, not starting with #, not earliest)");
        assertThatThrownBy(() -> MercureUpdate.builder("t").id("earliest")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MercureUpdate.builder("t").type("mercure")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MercureUpdate.builder("t").type("a\u200Bb")).hasMessage(
                "type: control or format character U+200B at index 1 (not allowed by Mercure)");
        assertThatThrownBy(() -> MercureUpdate.builder("t").retry(-1)).hasMessage("retry: -1 (expected: >= 0)");
    }

    private static List<String> form(String body) {
        List<String> fields = new ArrayList<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.add(pair.substring(0, eq) + "=" + URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }
}
