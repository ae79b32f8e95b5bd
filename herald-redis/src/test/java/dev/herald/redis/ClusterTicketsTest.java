package dev.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.Hub;
import dev.herald.hub.test.LogCapture;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream tickets across two hubs sharing one Redis (docs/hub.md "Stream tickets", docs/clustering.md):
 * a ticket issued by one hub opens one stream on either, with its token's authorization, and is then
 * refused everywhere as on a single hub; it expires on every node; of two hubs redeeming it at once
 * exactly one succeeds; Redis holds only its digest; and without Redis no ticket is issued and none
 * opens a stream (never an anonymous one, though the hubs accept anonymous subscribers).
 */
class ClusterTicketsTest {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    RedisServer redis;
    final List<Hub> hubs = new ArrayList<>();
    String topic;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        topic = "https://example.com/" + UUID.randomUUID() + "/private";
    }

    @AfterEach
    void stop() throws Exception {
        hubs.forEach(Hub::close);
        if (redis != null) {
            redis.close();
        }
    }

    Hub hub(Duration ticketTtl) {
        Hub hub = TestHubs.builder().transport(redis.uri()).ticketTtl(ticketTtl).build().start();
        hubs.add(hub);
        return hub;
    }

    Hub hub() {
        return hub(Duration.ofSeconds(30));
    }

    String subscriberToken() {
        return Tokens.mint().subject("alice-" + UUID.randomUUID()).subscribe(topic).sign();
    }

    static HttpResponse<String> requestTicket(Hub hub, String token) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(hub.url() + "/tickets"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String ticket(Hub hub, String token) throws Exception {
        HttpResponse<String> r = requestTicket(hub, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("ticket").asText();
    }

    SseStream open(Hub hub, String ticket) throws Exception {
        return SseStream.open(TestHubs.url(hub, "match=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                + "&ticket=" + ticket));
    }

    /** The refusal a single hub gives a spent ticket (StreamTicketTest). */
    static void assertSpent(SseStream s, String ticket) {
        assertThat(s.status).isEqualTo(401);
        assertThat(s.headers.firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer error=\"invalid_token\""));
        assertThat(s.errorBody).contains("stream ticket is spent, expired or unknown").doesNotContain(ticket);
    }

    static String digest(String ticket) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aTicketIssuedOnOneHubOpensOneStreamOnAnotherWithTheTokensAuthorizationThenIsRefusedEverywhere()
            throws Exception {
        Hub a = hub();
        Hub b = hub();
        String ticket = ticket(a, subscriberToken());
        try (SseStream onB = open(b, ticket)) {
            assertThat(onB.status).isEqualTo(200);
            // private: delivered only with the token's grant, so the stream is not anonymous
            Publish.ok(a.url(), TestHubs.publisherToken(), "topic", topic, "data", "secret", "private", "on");
            assertThat(onB.next(Duration.ofSeconds(10)).data()).isEqualTo("secret");
            try (SseStream againOnB = open(b, ticket);
                 SseStream againOnA = open(a, ticket)) {
                assertSpent(againOnB, ticket);
                assertSpent(againOnA, ticket);
            }
        }
        try (SseStream reconnect = open(a, ticket)) { // after the first stream closed, too
            assertSpent(reconnect, ticket);
        }
    }

    @Test
    void redisHoldsTheTicketsDigestWithItsExpiryNeverTheTicket() throws Exception {
        Hub a = hub();
        String ticket = ticket(a, subscriberToken());
        String key = "herald:ticket:" + digest(ticket);
        assertThat(redis.command("EXISTS " + key)).isEqualTo(":1");
        long pttl = Long.parseLong(redis.command("PTTL " + key).substring(1));
        assertThat(pttl).isBetween(1L, 30_000L);
        assertThat(redis.command("EXISTS herald:ticket:" + ticket)).isEqualTo(":0");
        try (SseStream s = open(hub(), ticket)) {
            assertThat(s.status).isEqualTo(200);
        }
        assertThat(redis.command("EXISTS " + key)).as("redeemed: gone").isEqualTo(":0");
    }

    @Test
    void aTicketExpiresOnEveryNode() throws Exception {
        Hub a = hub(Duration.ofMillis(500));
        Hub b = hub(Duration.ofMillis(500));
        String forA = ticket(a, subscriberToken());
        String forB = ticket(a, subscriberToken());
        Thread.sleep(700);
        try (SseStream onA = open(a, forA);
             SseStream onB = open(b, forB)) {
            assertSpent(onA, forA);
            assertSpent(onB, forB);
        }
        // and a ticket lives no longer than its token: one expiring in 1 s, with a 30 s ticket lifetime
        Hub c = hub();
        String shortToken = Tokens.mint().subject("bob").subscribe(topic).expiresIn(Duration.ofSeconds(1)).sign();
        HttpResponse<String> r = requestTicket(c, shortToken);
        assertThat(JSON.readTree(r.body()).get("expires_in").asInt()).isEqualTo(1);
        String ticket = JSON.readTree(r.body()).get("ticket").asText();
        assertThat(Long.parseLong(redis.command("PTTL herald:ticket:" + digest(ticket)).substring(1)))
                .isBetween(1L, 1_000L);
    }

    @Test
    void twoHubsRedeemingOneTicketAtOnceGiveExactlyOneStream() throws Exception {
        Hub a = hub();
        Hub b = hub();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String ticket = ticket(round % 2 == 0 ? a : b, subscriberToken());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> statuses = new ArrayList<>();
                for (Hub hub : List.of(a, b)) {
                    statuses.add(pool.submit(() -> {
                        go.await();
                        try (SseStream s = open(hub, ticket)) {
                            return s.status;
                        }
                    }));
                }
                go.countDown();
                List<Integer> got = new ArrayList<>();
                for (Future<Integer> f : statuses) {
                    got.add(f.get());
                }
                assertThat(got).as("round " + round).containsExactlyInAnyOrder(200, 401);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutRedisNoTicketIsIssuedAndNoneOpensAStreamNotEvenAnAnonymousOne() throws Exception {
        Hub a = hub();
        Hub b = hub();
        String token = subscriberToken();
        String issuedBefore = ticket(a, token);
        try (LogCapture logs = LogCapture.start()) {
            redis.stop();
            HttpResponse<String> refused = requestTicket(a, token);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(refused.body()).contains("ticket store unavailable");
            try (SseStream s = open(b, issuedBefore)) {
                assertThat(s.status).isEqualTo(503);
                assertThat(s.headers.firstValue("retry-after")).isPresent();
                assertThat(s.errorBody).contains("request a new ticket").doesNotContain(issuedBefore);
            }
            assertThat(logs.lines()).noneMatch(line -> line.contains(issuedBefore));
        }

        redis.restart(); // without persistence: the tickets are gone, new ones work once the hubs reconnect
        for (Hub hub : List.of(a, b)) { // each node reconnects on its own backoff: until then, 503
            await().atMost(Duration.ofSeconds(20)).until(() -> requestTicket(hub, token).statusCode() == 200);
        }
        try (SseStream s = open(b, ticket(a, token))) {
            assertThat(s.status).isEqualTo(200);
        }
    }

    @Test
    void aRedisThatDoesNotAnswerRefusesTheRedemptionInsteadOfServingAnonymously() throws Exception {
        Hub a = hub();
        Hub b = hub();
        String ticket = ticket(a, subscriberToken());
        redis.pause();
        try (SseStream s = open(b, ticket)) {
            assertThat(s.status).isEqualTo(503); // after the command timeout
            assertThat(s.headers.firstValue("retry-after")).isPresent();
        } finally {
            redis.resume();
        }
    }
}
