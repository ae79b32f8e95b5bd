package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.herald.hub.test.LogCapture;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.RawHttp;
import dev.herald.hub.test.SseStream;
import dev.herald.hub.test.TestHubs;
import dev.herald.hub.test.Tokens;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and abusive requests over raw sockets, each answered with the right status (or the
 * connection closed), while a healthy subscriber keeps receiving updates after every one of them,
 * nothing is logged at ERROR, and no token or cookie value ever reaches a log line or a response.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    static final int CLOSED = RawHttp.CLOSED;
    static final String HUB = "/.well-known/mercure";
    static final String HEALTHY = "https://example.com/healthy";
    static final String FORM = "Content-Type: application/x-www-form-urlencoded\r\n";
    static final int MAX_DATA = 4096;
    /** Nested repetition that makes a backtracking engine take exponential time on a near-miss. */
    static final String PATHOLOGICAL = "https://example.com/:x((?:a+)+)b/:y((?:a|aa)+)c";
    /** Every credential a case sends: none may appear in a log line or a response. */
    static final List<String> SECRETS = new ArrayList<>();

    static Hub hub;
    static SseStream healthy;
    static LogCapture logs;
    static String publisher;
    static int sequence;

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.start();
        hub = TestHubs.builder().maxDataBytes(MAX_DATA).headerTimeout(Duration.ofMillis(500))
                .idleTimeout(Duration.ofMillis(800)).build().start();
        publisher = TestHubs.publisherToken();
        SECRETS.add(publisher);
        healthy = SseStream.open(TestHubs.url(hub, "match=" + HEALTHY));
        assertThat(healthy.status).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        healthy.close();
        hub.close();
        logs.close();
    }

    static String secret(String s) {
        SECRETS.add(s);
        return s;
    }

    static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: hub\r\n" + String.join("", headers) + "\r\n";
    }

    static String post(String body, String... headers) {
        return "POST " + HUB + " HTTP/1.1\r\nHost: hub\r\n" + FORM + String.join("", headers)
                + "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body;
    }

    static String bearer(String token) {
        return "Authorization: Bearer " + token + "\r\n";
    }

    static Arguments c(String name, Object request, int expected) {
        byte[] bytes = request instanceof byte[] b ? b : ((String) request).getBytes(StandardCharsets.ISO_8859_1);
        return Arguments.of(name, bytes, expected);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(String head, byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(tail);
        return out.toByteArray();
    }

    static String manyMatchers(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : "&").append("match=t").append(i);
        }
        return b.toString();
    }

    static Stream<Arguments> hostileRequests() {
        String valid = Tokens.mint().publish("*").subscribe("*").sign();
        String forgedSignature = secret(AuthorizationTest.tamper(valid));
        String otherKey = secret(Tokens.mint().hmac("a-key-the-hub-does-not-know-0123456789").publish("*").sign());
        String algNone = secret(Tokens.mint().publish("*").unsecured());
        String expired = secret(Tokens.mint().expiresAt(java.time.Instant.now().minusSeconds(3600)).publish("*").sign());
        String confused = secret(Tokens.mint().hmac(Tokens.pem(Tokens.RSA.getPublic())).publish("*").sign());
        String cookieToken = secret(AuthorizationTest.tamper(Tokens.mint().subscribe("*").sign()));
        String huge = secret("eyJ" + "A".repeat(9000) + ".eyJ" + "B".repeat(100) + ".sig");
        String garbageToken = secret("not-a-jwt-at-all-but-secret-looking-0123456789");
        return Stream.of(
                // -- bad UTF-8 and control characters in matchers
                c("matcher not UTF-8", get(HUB + "?match=%FF"), 400),
                c("matcher overlong UTF-8", get(HUB + "?match=%C0%AF"), 400),
                c("matcher UTF-16 surrogate", get(HUB + "?match=%ED%A0%80"), 400),
                c("matcher truncated UTF-8", get(HUB + "?match=%E2%82"), 400),
                c("matcher NUL", get(HUB + "?match=a%00b"), 400),
                c("matcher LF", get(HUB + "?match=a%0Ab"), 400),
                c("matcher C1 control", get(HUB + "?match=a%C2%85b"), 400),
                c("matcher format character", get(HUB + "?match=a%E2%80%AEb"), 400),
                c("matcher DEL", get(HUB + "?match=a%7Fb"), 400),
                c("invalid percent-escape is literal text (WHATWG urlencoded)", get(HUB + "?match=%ZZ"), 200),
                c("raw control byte in the request target", get(HUB + "?match=a\u0001b"), 400),
                c("raw non-ASCII bytes in the request target", concat("GET " + HUB + "?match=",
                        concat("", bytes(0xC3, 0xA9, ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n', 'H', 'o', 's', 't',
                                ':', ' ', 'h', '\r', '\n', '\r', '\n'))), 400),
                c("unknown matcher type in the reserved namespace", get(HUB + "?match_regex=.*"), 400),
                // -- header syntax
                c("space in a header name", get("/healthz", "Bad Header: x\r\n"), 400),
                c("NUL in a header value", get("/healthz", "X-A: a\u0000b\r\n"), 400),
                c("bare CR in a header value", get("/healthz", "X-A: a\rb\r\n"), 400),
                c("obsolete line folding is unfolded (RFC 9112 §5.2)", get("/healthz", "X-A: a\r\n b\r\n"), 200),
                c("header without colon", get("/healthz", "NoColonHere\r\n"), 400),
                c("missing Host (HTTP/1.1)", "GET /healthz HTTP/1.1\r\n\r\n", 400),
                c("two Host fields", get("/healthz", "Host: other\r\n"), 400),
                c("control character in Last-Event-ID", get(HUB + "?match=t", "Last-Event-ID: a\u0001b\r\n"), 400),
                // -- sizes
                c("huge header value", get("/healthz", "X-Big: " + "a".repeat(20_000) + "\r\n"), 431),
                c("thousands of small headers", get("/healthz", "X-H: v\r\n".repeat(3000)), 431),
                c("huge request line", get("/healthz?" + "a".repeat(9000)), 414),
                c("huge method", "M".repeat(9000) + " / HTTP/1.1\r\nHost: h\r\n\r\n", 414),
                c("body over the limit by Content-Length", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Content-Length: 100000000\r\n\r\n", 413),
                c("chunked body over the limit", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Transfer-Encoding: chunked\r\n\r\n" + "60000\r\n" + "x".repeat(0x60000), 413),
                c("data over the limit", post("topic=t&data=" + "x".repeat(MAX_DATA + 1), bearer(publisher)), 413),
                c("thousands of topics", post("data=x" + "&topic=t".repeat(5000), bearer(publisher)), 413),
                c("hundreds of matchers in the URL", get(HUB + "?" + manyMatchers(700)), 400),
                c("thousands of matchers in the URL", get(HUB + "?" + manyMatchers(3000)), 414),
                c("thousands of matchers in a QUERY body", "QUERY " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Content-Length: " + manyMatchers(3000).length() + "\r\n\r\n" + manyMatchers(3000), 400),
                c("one matcher too long", get(HUB + "?match=" + "a".repeat(3000)), 400),
                // -- framing and smuggling
                c("Content-Length not a number", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Content-Length: ten\r\n\r\n", 400),
                c("negative Content-Length", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Content-Length: -1\r\n\r\n", 400),
                c("two different Content-Lengths", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
                c("Content-Length and chunked together", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                c("invalid chunk size", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
                c("unknown transfer coding", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM
                        + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400),
                c("HTTP/0.9 request", "GET /healthz\r\n\r\n", 400),
                c("unknown HTTP version", "GET /healthz HTTP/7.3\r\nHost: h\r\n\r\n", 505),
                c("binary garbage", bytes(0x00, 0x01, 0x02, 0xFF, 0xFE, '\r', '\n', '\r', '\n'), 400),
                c("TLS ClientHello on the cleartext port", bytes(0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1,
                        0x03, 0x03, '\r', '\n', '\r', '\n'), 400),
                c("HTTP/2 preface then garbage", concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", bytes(0xFF, 0xFF, 0xFF, 0xFF,
                        0xFF, 0xFF, 0xFF, 0xFF, 0xFF)), CLOSED),
                // -- truncated and slow requests
                c("truncated request line", "GET " + HUB + "?mat", 408),
                c("truncated headers", "GET /healthz HTTP/1.1\r\nHost: h\r\nX-A: b", 408),
                c("truncated body", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\n" + FORM + "Content-Length: 100\r\n\r\ntopic=t",
                        CLOSED),
                c("connection that sends nothing", "", CLOSED),
                // -- methods and paths
                c("unknown method", "BREW " + HUB + " HTTP/1.1\r\nHost: h\r\n\r\n", 405),
                c("path traversal", get("/../../etc/passwd"), 404),
                c("long unknown path", get("/" + "x".repeat(6000)), 404),
                c("QUERY with a JSON body", "QUERY " + HUB + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n{}", 400),
                c("publish that is not a form", "POST " + HUB + " HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n"
                        + bearer(publisher) + "Content-Length: 7\r\n\r\ntopic=t", 415),
                c("publish form not UTF-8", post("topic=t&data=%FF%FE", bearer(publisher)), 400),
                c("pathological URL pattern", get(HUB + "?match_urlpattern=" + java.net.URLEncoder.encode(
                        PATHOLOGICAL, StandardCharsets.UTF_8)), 200),
                c("URL pattern with a duplicate group name", get(HUB + "?match_urlpattern=" + java.net.URLEncoder.encode(
                        "https://example.com/:a/:a", StandardCharsets.UTF_8)), 400),
                c("deeply nested URL pattern", get(HUB + "?match_urlpattern=" + "%7B".repeat(500) + "x" + "%7D".repeat(500)), 400),
                // -- forged tokens and bad presentations
                c("publish without token", post("topic=t"), 401),
                c("forged signature", post("topic=t", bearer(forgedSignature)), 401),
                c("token of an unknown key", post("topic=t", bearer(otherKey)), 401),
                c("alg none", post("topic=t", bearer(algNone)), 401),
                c("expired token", post("topic=t", bearer(expired)), 401),
                c("algorithm confusion", post("topic=t", bearer(confused)), 401),
                c("token longer than the limit", post("topic=t", bearer(huge)), 401),
                c("garbage bearer token", post("topic=t", bearer(garbageToken)), 401),
                c("Basic credentials", post("topic=t", "Authorization: Basic " + secret("dXNlcjpzM2NyM3Q=") + "\r\n"), 400),
                c("two Authorization fields", post("topic=t", bearer(publisher), bearer(publisher)), 400),
                c("forged cookie on a subscription", get(HUB + "?match=t", "Cookie: __Secure-mercure_access_token="
                        + cookieToken + "\r\n"), 401),
                c("cookie token with an illegal character", get(HUB + "?match=t",
                        "Cookie: __Secure-mercure_access_token=" + secret("abc,def{secret}") + "\r\n"), 400),
                c("token in the URL is ignored", get(HUB + "?match=t&access_token=" + secret(valid)), 200));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void hostileRequestIsAnsweredAndTheHubStaysHealthy(String name, byte[] request, int expected) throws Exception {
        RawHttp.Response r = RawHttp.exchange(hub.address(), request, Duration.ofSeconds(4));
        assertThat(r.status()).as(name + " answered " + r.head()).isEqualTo(expected);
        if (r.status() >= 400) {
            assertThat(r.body()).as(name).doesNotContain("Exception").doesNotContain("\tat ");
        }
        for (String secret : SECRETS) {
            assertThat(r.head() + r.body()).as(name + ": a credential was echoed").doesNotContain(secret);
        }
        String data = "healthy " + (++sequence);
        Publish.ok(hub.url(), publisher, "topic", HEALTHY, "data", data);
        assertThat(healthy.next(Duration.ofSeconds(3)).data()).as("after " + name).isEqualTo(data);
    }

    @Order(2)
    @Test
    void pathologicalUrlPatternIsEvaluatedInLinearTime() throws Exception {
        try (SseStream s = SseStream.open(TestHubs.url(hub, "match_urlpattern="
                + java.net.URLEncoder.encode(PATHOLOGICAL, StandardCharsets.UTF_8)))) {
            assertThat(s.status).isEqualTo(200);
            String nearMiss = "https://example.com/" + "a".repeat(1000) + "!/" + "a".repeat(1000) + "!";
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                Publish.ok(hub.url(), publisher, "topic", nearMiss, "data", "x");
            }
            Publish.ok(hub.url(), publisher, "topic", HEALTHY, "data", "after the near-misses");
            assertThat(healthy.next(Duration.ofSeconds(3)).data()).isEqualTo("after the near-misses");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(s.poll(Duration.ofMillis(100))).isNull();
        }
    }

    @Order(3)
    @Test
    void hostileSuiteLoggedNoErrorAndNoCredential() {
        assertThat(sequence).as("the hostile suite ran first").isGreaterThanOrEqualTo(50);
        assertThat(logs.atLeast(Level.ERROR)).isEmpty();
        for (String line : logs.lines()) {
            for (String secret : SECRETS) {
                assertThat(line).as("log line leaks a credential").doesNotContain(secret);
            }
        }
    }
}
