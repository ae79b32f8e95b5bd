package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Mercure §"Reconnection, State Reconciliation": replay, then live, with no gap and no duplicate. */
class ReconciliationTest {

    static final String TOPIC = "https://example.com/feed";
    Hub hub;
    String token;

    @BeforeEach
    void start() {
        hub = TestHubs.builder().historySize(50).build().start();
        token = TestHubs.publisherToken();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private String publish(String data) throws Exception {
        return Publish.ok(hub.url(), token, "topic", TOPIC, "data", data);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void lastEventIdHeaderReplaysWhatCameAfterThenLive() throws Exception {
        String first = publish("1");
        publish("2");
        publish("3");
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", first)) {
            assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue(first);
            assertThat(s.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("2", "3");
            publish("4");
            assertThat(s.next().data()).isEqualTo("4");
        }
    }

    @Test
    void lastEventIdQueryParameterWorksAndTheHeaderWins() throws Exception {
        String first = publish("1");
        String second = publish("2");
        publish("3");
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=" + q(first)))) {
            assertThat(s.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("2", "3");
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=" + q(first)),
                "Last-Event-ID", second)) {
            assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue(second);
            assertThat(s.next().data()).isEqualTo("3");
        }
    }

    @Test
    void earliestReplaysEverythingKept() throws Exception {
        publish("a");
        publish("b");
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC) + "&last_event_id=earliest"))) {
            assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue("earliest");
            assertThat(s.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data).containsExactly("a", "b");
        }
    }

    @Test
    void noLastEventIdMeansLiveOnlyAndNoHeader() throws Exception {
        publish("old");
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)))) {
            assertThat(s.headers.firstValue("mercure-last-event-id")).isEmpty();
            publish("new");
            assertThat(s.next().data()).isEqualTo("new");
        }
    }

    @Test
    void unknownLastEventIdGetsTheResetEventThenAllThatIsKept() throws Exception {
        for (int i = 0; i < 60; i++) { // history keeps 50: the first 10 are gone
            publish("u" + i);
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", "long-gone")) {
            assertThat(s.headers.firstValue("mercure-last-event-id")).hasValue("earliest");
            SseEvent reset = s.next();
            assertThat(reset.type()).isEqualTo("herald-reset");
            assertThat(reset.data()).contains("\"lastEventId\":\"long-gone\"").contains("\"earliestEventId\":\"");
            List<SseEvent> replay = s.next(50, Duration.ofSeconds(5));
            assertThat(replay.get(0).data()).isEqualTo("u10");
            assertThat(replay.get(49).data()).isEqualTo("u59");
            assertThat(reset.id()).as("the reset event leaves the last event ID alone").isEmpty();
        }
    }

    @Test
    void privateUpdatesInReplayFollowTheSubscribersToken() throws Exception {
        String start = publish("start");
        Publish.ok(hub.url(), token, "topic", TOPIC, "data", "secret", "private", "on");
        publish("public");
        try (SseStream anonymous = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", start);
             SseStream authorized = SseStream.open(TestHubs.url(hub, "match=" + q(TOPIC)), "Last-Event-ID", start,
                     "Authorization", "Bearer " + Tokens.subscriber(TestHubs.AUDIENCE, TOPIC))) {
            assertThat(anonymous.next().data()).isEqualTo("public");
            assertThat(authorized.next(2, Duration.ofSeconds(5))).extracting(SseEvent::data)
                    .containsExactly("secret", "public");
        }
    }

    @RepeatedTest(3)
    void replayThenLiveHasNoGapAndNoDuplicateWhilePublishesRace() throws Exception {
        Hub big = TestHubs.builder().historySize(10_000).build().start();
        try {
            String firstId = big.publish(Update.of(TOPIC, "0"));
            int total = 2000;
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 1; i <= total; i++) {
                        big.publish(Update.of(TOPIC, Integer.toString(i)));
                        if (i == 100) {
                            started.countDown();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                    started.countDown();
                }
            });
            publisher.start();
            started.await();
            try (SseStream s = SseStream.open(TestHubs.url(big, "match=" + q(TOPIC)), "Last-Event-ID", firstId)) {
                List<SseEvent> got = s.next(total, Duration.ofSeconds(30));
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= total; i++) {
                    expected.add(Integer.toString(i));
                }
                assertThat(got).extracting(SseEvent::data).containsExactlyElementsOf(expected);
                publisher.join();
                assertThat(failure.get()).isNull();
                assertThat(s.poll(Duration.ofMillis(200))).as("no duplicate after the last").isNull();
            }
        } finally {
            big.close();
        }
    }
}
