package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code herald serve --compat} and the stream ticket options, as operators use them. */
class ServeCompatOptionsTest {

    static final String KEY = "0123456789abcdef0123456789abcdef-compat";
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** A pre-1.0 token: no typ, no aud, the mercure claim. */
    private static String legacyToken() throws Exception {
        return sign(new JWTClaimsSet.Builder().issuer("herald").subject("old-client")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))));
    }

    /** A pre-1.0 token as Symfony's Mercure component mints one by default (no iss), and without exp. */
    private static String symfonyStyleToken() throws Exception {
        return sign(new JWTClaimsSet.Builder().subject("old-client"));
    }

    private static String sign(JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).build(),
                claims.claim("mercure", Map.of("subscribe", List.of("https://example.com/{id}"))).build());
        jwt.sign(new MACSigner(KEY));
        return jwt.serialize();
    }

    @Test
    void compatServesPreOneSubscribersAndTheTicketLifetimeIsApplied() throws Exception {
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--anonymous",
                "--publisher-jwt-key", KEY, "--compat", "0.x", "--ticket-ttl", "10s");
        try {
            URI hub = URI.create(HeraldProcess.listeningUrl(p));
            // with one key, the default issuer is the only one: a token without iss is its token
            for (String token : List.of(legacyToken(), symfonyStyleToken())) {
                HttpResponse<InputStream> stream = CLIENT.send(HttpRequest.newBuilder(URI.create(hub + "?topic="
                        + URLEncoder.encode("https://example.com/{id}", StandardCharsets.UTF_8) + "&authorization="
                        + token)).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertThat(stream.statusCode()).isEqualTo(200);
                stream.body().close();

                HttpResponse<String> ticket = CLIENT.send(HttpRequest.newBuilder(URI.create(hub + "/tickets"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ticket.statusCode()).isEqualTo(200);
                Matcher expiresIn = Pattern.compile("\"expires_in\":(\\d+)").matcher(ticket.body());
                assertThat(expiresIn.find()).isTrue();
                assertThat(Integer.parseInt(expiresIn.group(1))).isBetween(1, 10);
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void badCompatAndTicketValuesExitWithCode2AndAReason() throws Exception {
        Map<List<String>, String> cases = Map.of(
                List.of("--compat", "1.x"), "--compat: '1.x' (expected: none or 0.x)",
                List.of("--ticket-ttl", "10m"), "--ticket-ttl: PT10M (expected: > 0 and <= 5m)",
                List.of("--max-tickets", "0"), "--max-tickets: 0 (expected: > 0)",
                List.of("--max-tickets-per-subject", "-1"), "--max-tickets-per-subject: -1 (expected: > 0)");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory",
                    c.getKey().get(0), c.getKey().get(1));
            String out = HeraldProcess.outputOf(p);
            assertThat(p.exitValue()).as(c.getKey().toString()).isEqualTo(2);
            assertThat(out).as(c.getKey().toString()).contains(c.getValue()).doesNotContain("\tat ");
        }
    }
}
