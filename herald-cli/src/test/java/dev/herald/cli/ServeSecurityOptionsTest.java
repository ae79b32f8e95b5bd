package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald serve}'s issuer, key-file, CORS and limit options, as operators use them. */
class ServeSecurityOptionsTest {

    static final String AUDIENCE = "https://hub.test/.well-known/mercure";

    @TempDir
    Path dir;

    @Test
    void issuerWithAPemKeyFileCorsOriginsAndLimitsAreApplied() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        Path pem = dir.resolve("app.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--jwt-audience", AUDIENCE,
                "--publisher-issuer", "https://app.test=pem+ES256:@" + pem,
                "--cors-origins", "https://app.test,https://admin.test", "--max-connections-per-ip", "50");
        try {
            URI url = URI.create(HeraldProcess.listeningUrl(p));
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).build(),
                    new JWTClaimsSet.Builder().issuer("https://app.test").audience(AUDIENCE).subject("app")
                            .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                            .claim("authorization_details", List.of(Map.of("type", "https://mercure.rocks/authorization-detail",
                                    "actions", List.of("publish"), "topics", List.of(Map.of("match", "*"))))).build());
            jwt.sign(new ECDSASigner((ECPrivateKey) key.getPrivate()));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                    .header("Authorization", "Bearer " + jwt.serialize())
                    .header("Origin", "https://admin.test")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("topic=https://example.com/x&data=hi")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("https://admin.test");
        } finally {
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void badIssuerSpecificationsExitWithCode2WithoutShowingTheSecret() throws Exception {
        for (String spec : List.of("https://x.test=hmac:short-secret-value", "bare-secret-value-0123456789abcdef",
                "https://x.test=pem:@" + dir.resolve("missing.pem"), "https://x.test=jwks:http://example.com/jwks.json")) {
            Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--publisher-issuer", spec);
            String out = HeraldProcess.outputOf(p);
            assertThat(p.exitValue()).as(spec).isEqualTo(2);
            assertThat(out).as(spec).contains("--publisher-issuer").doesNotContain("\tat ")
                    .doesNotContain("short-secret-value").doesNotContain("bare-secret-value");
        }
    }

    @Test
    void keyFileIsReadForTheShorthandIssuer() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef-from-file\n");
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--publisher-jwt-key", "@" + secret,
                "--anonymous", "--max-header-size", "0");
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2); // the key file was fine: the refusal is the size
        assertThat(out).contains("--max-header-size: 0 (expected: > 0)");
        Process missing = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--history", "memory", "--publisher-jwt-key",
                "@" + dir.resolve("nope"));
        assertThat(HeraldProcess.outputOf(missing)).contains("--publisher-jwt-key: cannot read key file");
        assertThat(missing.exitValue()).isEqualTo(2);
    }
}
