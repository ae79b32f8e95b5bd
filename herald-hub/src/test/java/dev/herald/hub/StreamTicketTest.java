package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.test.LogCapture;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import dev.herald.sse.SseEvent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream tickets ({@code POST {hub}/tickets}): a bearer token traded for a single-use ticket that
 * opens one event stream with the token's authorization, never silently anonymous, never logged.
 */
class StreamTicketTest {

    static final Duration QUIET = Duration.ofMillis(300);
    static final String APP = "https://app.test";
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static Hub hub;
    String base;

    @BeforeAll
    static void start() {
        hub = TestHubs.builder().corsOrigins(List.of(APP)).build().start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @BeforeEach
    void uniqueTopics() {
        base = "https://example.com/" + UUID.randomUUID() + "/";
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static URI ticketUrl(Hub hub) {
        return URI.create(hub.url() + "/tickets");
    }

    static HttpResponse<String> requestTicket(Hub hub, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(ticketUrl(hub)).POST(HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A ticket for {@code token}, failing unless the hub issued one. */
    static String ticket(Hub hub, String token) throws Exception {
        HttpResponse<String> r = requestTicket(hub, "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("ticket").asText();
    }

    String subscriberToken() {
        return Tokens.mint().subject("alice-" + UUID.randomUUID()).subscribe(base + "private").sign();
    }

    SseStream open(String ticket, String... headers) throws Exception {
        return SseStream.open(TestHubs.url(hub, "match=" + q(base + "private") + "&ticket=" + ticket), headers);
    }

    @Test
    void aTicketOpensOneStreamWithTheTokensAuthorizationAndIsThenSpent() throws Exception {
        HttpResponse<String> r = requestTicket(hub, "Authorization", "Bearer " + subscriberToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode body = JSON.readTree(r.body());
        String ticket = body.get("ticket").asText();
        assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
        assertThat(body.get("expires_in").asInt()).isBetween(1, 30);

        try (SseStream first = open(ticket);
             SseStream replay = open(ticket)) {
            assertThat(first.status).isEqualTo(200);
            // a second connection with the same ticket, while the first is open, is refused: never anonymous
            assertThat(replay.status).isEqualTo(401);
            assertThat(replay.headers.firstValue("www-authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer error=\"invalid_token\""));
            assertThat(replay.errorBody).contains("stream ticket is spent, expired or unknown").doesNotContain(ticket);

            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", base + "private", "data", "secret", "private", "on");
            assertThat(first.next().data()).isEqualTo("secret");
        }
        try (SseStream reconnect = open(ticket)) {
            assertThat(reconnect.status).isEqualTo(401);
        }
    }

    @Test
    void aTicketRequestNeedsAValidTokenEvenOnAnAnonymousHub() throws Exception {
        HttpResponse<String> none = requestTicket(hub);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer").doesNotContain("error="));
        assertThat(none.body()).contains("A stream ticket is issued for an access token");

        HttpResponse<String> wrong = requestTicket(hub, "Authorization", "Bearer "
                + Tokens.mint().hmac("another-key-0123456789-abcdefghijklm").subscribe("*").sign());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("www-authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("invalid_token"));
        HttpResponse<String> expired = requestTicket(hub, "Authorization", "Bearer "
                + Tokens.mint().subscribe("*").expiresIn(Duration.ofSeconds(-1)).sign());
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(requestTicket(hub, "Authorization", "Basic dXNlcjpwYXNz").statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownOrMalformedTicketIsRefusedNotTakenForAnonymous() throws Exception {
        for (String bad : List.of("A".repeat(43), "short", "", "%00")) {
            try (SseStream s = open(bad)) {
                assertThat(s.status).as(bad).isEqualTo(401);
            }
        }
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match=x&ticket=a&ticket=b"))) {
            assertThat(s.status).isEqualTo(400);
            assertThat(s.errorBody).contains("Present one stream ticket.");
        }
    }

    @Test
    void anExpiredTicketIsRefused() throws Exception {
        try (Hub quick = TestHubs.builder().ticketTtl(Duration.ofMillis(500)).build().start()) {
            String ticket = ticket(quick, subscriberToken());
            Thread.sleep(700);
            try (SseStream s = SseStream.open(TestHubs.url(quick, "match=x&ticket=" + ticket))) {
                assertThat(s.status).isEqualTo(401);
                assertThat(s.errorBody).contains("spent, expired or unknown");
            }
        }
    }

    @Test
    void aTicketWithATokenIsRefusedButWithAnAmbientCookieTheTicketWins() throws Exception {
        String token = subscriberToken();
        try (SseStream both = open(ticket(hub, token), "Authorization", "Bearer " + token)) {
            assertThat(both.status).isEqualTo(400);
            assertThat(both.headers.firstValue("www-authenticate")).hasValue("Bearer error=\"invalid_request\"");
            assertThat(both.errorBody).contains("either a stream ticket or an access token, not both");
        }
        // the cookie (here not even a valid token) is ignored: the ticket's token authorizes the stream
        try (SseStream s = open(ticket(hub, token), "Cookie", "__Secure-mercure_access_token=a.b.c")) {
            assertThat(s.status).isEqualTo(200);
            Publish.ok(hub.url(), TestHubs.publisherToken(), "topic", base + "private", "data", "secret", "private", "on");
            assertThat(s.next().data()).isEqualTo("secret");
        }
    }

    @Test
    void aTicketStreamHasTheTokensSubjectAndExpiry() throws Exception {
        try (Hub one = TestHubs.builder().maxStreamsPerSubject(1).build().start()) {
            String token = Tokens.mint().subject("bob").subscribe("*").expiresIn(Duration.ofSeconds(3)).sign();
            String ticket = ticket(one, token);
            try (SseStream byHeader = SseStream.open(TestHubs.url(one, "match=x"), "Authorization", "Bearer " + token);
                 SseStream byTicket = SseStream.open(TestHubs.url(one, "match=x&ticket=" + ticket))) {
                assertThat(byHeader.status).isEqualTo(200);
                assertThat(byTicket.status).isEqualTo(429); // same subject: counted together
            }
            try (SseStream s = SseStream.open(TestHubs.url(one, "match=x&ticket=" + ticket(one, token)))) {
                assertThat(s.status).isEqualTo(200);
                SseEvent last = s.next(Duration.ofSeconds(10));
                assertThat(last.type()).isEqualTo("herald-token-expired"); // closed at the token's exp
                s.awaitEnd(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aTicketIsNotAPublishCredential() throws Exception {
        String ticket = ticket(hub, Tokens.mint().publish("*").subscribe("*").sign());
        HttpResponse<String> r = Publish.post(URI.create(hub.url() + "?ticket=" + ticket), null,
                Publish.form("topic", base + "t", "data", "x"));
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void ticketRequestsAreBoundedPerSubjectAndInTotal() throws Exception {
        try (Hub small = TestHubs.builder().maxTicketsPerSubject(2).maxTickets(3).build().start()) {
            String alice = Tokens.mint().subject("alice").subscribe("*").sign();
            ticket(small, alice);
            ticket(small, alice);
            HttpResponse<String> third = requestTicket(small, "Authorization", "Bearer " + alice);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("retry-after")).isPresent();
            ticket(small, Tokens.mint().subject("bob").subscribe("*").sign());
            HttpResponse<String> full = requestTicket(small, "Authorization", "Bearer "
                    + Tokens.mint().subject("carol").subscribe("*").sign());
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.headers().firstValue("retry-after")).isPresent();
        }
    }

    @Test
    void theTicketEndpointSpeaksCorsLikeTheHubAndChecksTheOriginOfCookies() throws Exception {
        HttpResponse<String> preflight = CLIENT.send(HttpRequest.newBuilder(ticketUrl(hub))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("allow")).hasValue("POST, OPTIONS");
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValueSatisfying(
                v -> assertThat(v).contains("Authorization"));

        String token = subscriberToken();
        HttpResponse<String> fromApp = requestTicket(hub, "Origin", APP, "Authorization", "Bearer " + token);
        assertThat(fromApp.statusCode()).isEqualTo(200);
        assertThat(fromApp.headers().firstValue("access-control-allow-origin")).hasValue(APP);
        assertThat(fromApp.headers().firstValue("access-control-allow-credentials")).hasValue("true");
        HttpResponse<String> fromEvil = requestTicket(hub, "Origin", "https://evil.test", "Authorization", "Bearer " + token);
        assertThat(fromEvil.headers().firstValue("access-control-allow-origin")).isEmpty();

        String cookie = "__Secure-mercure_access_token=" + token;
        assertThat(requestTicket(hub, "Origin", APP, "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(requestTicket(hub, "Origin", "https://evil.test", "Cookie", cookie).statusCode()).isEqualTo(403);
        assertThat(requestTicket(hub, "Cookie", cookie).statusCode()).isEqualTo(403); // no Origin nor Referer

        HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(ticketUrl(hub)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST, OPTIONS");
    }

    @Test
    void ticketsNeverAppearInLogsOrResponses() throws Exception {
        List<String> tickets = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            String token = subscriberToken();
            for (int i = 0; i < 3; i++) {
                tickets.add(ticket(hub, token));
            }
            try (SseStream ok = open(tickets.get(0));
                 SseStream spent = open(tickets.get(0));
                 SseStream withToken = open(tickets.get(1), "Authorization", "Bearer " + token);
                 SseStream badQuery = open(tickets.get(2) + "&match_bogus=1");
                 SseStream badPublish = SseStream.open(TestHubs.url(hub, "ticket=" + tickets.get(2)))) {
                for (SseStream s : List.of(spent, withToken, badQuery, badPublish)) {
                    bodies.add(s.status + " " + s.errorBody + " " + s.headers.map());
                }
                bodies.add(ok.headers.map().toString());
            }
            HttpResponse<String> notFound = CLIENT.send(HttpRequest.newBuilder(
                    URI.create(hub.url() + "/nowhere?ticket=" + tickets.get(2))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            bodies.add(notFound.body());
            bodies.add(CLIENT.send(HttpRequest.newBuilder(URI.create(hub.url().resolve("/metrics").toString())).GET()
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(logs.lines()).isNotEmpty(); // refusals are logged (at debug), only without the ticket
            for (String ticket : tickets) {
                assertThat(logs.lines()).noneMatch(line -> line.contains(ticket));
                assertThat(bodies).noneMatch(body -> body.contains(ticket));
            }
        }
    }
}
