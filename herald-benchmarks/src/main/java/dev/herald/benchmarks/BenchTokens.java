package dev.herald.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tokens for the in-process benchmarks' hubs. Stateless and thread-safe. */
public final class BenchTokens {

    private BenchTokens() {
    }

    /** A Mercure publisher token for every topic (authorization details, as the hub expects), valid an hour. */
    public static String publisher(String hmacKey, String issuer, String audience) throws JOSEException {
        Map<String, Object> detail = Map.of(
                "type", "https://mercure.rocks/authorization-detail",
                "actions", List.of("publish"),
                "topics", List.of(Map.of("match", "*")));
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience).subject("bench").claim("client_id", "bench")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .jwtID(UUID.randomUUID().toString())
                .claim("authorization_details", List.of(detail))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build(),
                claims);
        jwt.sign(new MACSigner(hmacKey.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
