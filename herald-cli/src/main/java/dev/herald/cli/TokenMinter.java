package dev.herald.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
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

/**
 * Mints Mercure 1.0 access tokens (RFC 9068 {@code at+jwt}, with {@code authorization_details}
 * granting publish and/or subscribe on matcher lists). Stateless and thread-safe.
 */
final class TokenMinter {

    static final String DETAIL_TYPE = "https://mercure.rocks/authorization-detail";

    private TokenMinter() {
    }

    /**
     * A signed token.
     *
     * @param key an HMAC secret (for HS*), or a PEM private key (RS*, PS*, ES*)
     * @param publish matchers granted {@code publish} (a value of {@code *} is the wildcard); may be empty
     * @param subscribe matchers granted {@code subscribe}; may be empty
     * @param urlPatterns whether the matchers are URL patterns rather than exact topics
     */
    static String mint(String key, String algorithm, String issuer, String audience, String subject,
                       List<String> publish, List<String> subscribe, boolean urlPatterns, Duration lifetime) {
        JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
        Instant now = Instant.now();
        List<Object> details = new ArrayList<>();
        if (!publish.isEmpty()) {
            details.add(detail("publish", publish, urlPatterns));
        }
        if (!subscribe.isEmpty()) {
            details.add(detail("subscribe", subscribe, urlPatterns));
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .claim("client_id", subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID("urn:uuid:" + UUID.randomUUID())
                .claim("authorization_details", details)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(new JOSEObjectType("at+jwt")).build(), claims);
        try {
            jwt.sign(signer(alg, key));
        } catch (JOSEException e) {
            throw new ConfigurationException("cannot sign with " + algorithm + ": " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static Map<String, Object> detail(String action, List<String> matchers, boolean urlPatterns) {
        List<Object> topics = new ArrayList<>();
        for (String m : matchers) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("match", m);
            if (urlPatterns && !"*".equals(m)) {
                t.put("match_type", "urlpattern");
            }
            topics.add(t);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", DETAIL_TYPE);
        d.put("actions", List.of(action));
        d.put("topics", topics);
        return d;
    }

    private static JWSSigner signer(JWSAlgorithm alg, String key) throws JOSEException {
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            byte[] secret = key.getBytes(StandardCharsets.UTF_8);
            if (secret.length * 8 < minHmacBits(alg)) {
                throw new ConfigurationException("the " + alg + " key must be at least " + minHmacBits(alg) / 8
                        + " bytes long (RFC 7518 §3.2)");
            }
            return new MACSigner(secret);
        }
        JWK jwk = JWK.parseFromPEMEncodedObjects(key);
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return new RSASSASigner((RSAKey) jwk);
        }
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            return new ECDSASigner((ECKey) jwk);
        }
        throw new ConfigurationException("unsupported signing algorithm: " + alg);
    }

    static int minHmacBits(JWSAlgorithm alg) {
        if (JWSAlgorithm.HS512.equals(alg)) {
            return 512;
        }
        return JWSAlgorithm.HS384.equals(alg) ? 384 : 256;
    }
}
