package dev.herald.hub.test;

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
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Mints Mercure 1.0 access tokens for black-box tests. */
public final class Tokens {

    public static final String KEY = "test-publisher-key-0123456789-abcdefghij";
    public static final String ISSUER = "https://issuer.test";

    private Tokens() {
    }

    public static String publisher(String audience, String... topics) {
        return token(audience, "publish", List.of(topics), Duration.ofMinutes(5));
    }

    public static String subscriber(String audience, String... topics) {
        return token(audience, "subscribe", List.of(topics), Duration.ofMinutes(5));
    }

    public static String token(String audience, String action, List<String> matchers, Duration lifetime) {
        List<Object> topics = new ArrayList<>();
        for (String m : matchers) {
            Map<String, Object> t = new LinkedHashMap<>();
            if (m.startsWith("urlpattern:")) {
                t.put("match", m.substring("urlpattern:".length()));
                t.put("match_type", "urlpattern");
            } else {
                t.put("match", m);
            }
            topics.add(t);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", "https://mercure.rocks/authorization-detail");
        detail.put("actions", List.of(action));
        detail.put("topics", topics);
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(audience)
                .subject("test-" + action)
                .claim("client_id", "tests")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("authorization_details", List.of(detail))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build(),
                claims);
        try {
            jwt.sign(new MACSigner(KEY.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
