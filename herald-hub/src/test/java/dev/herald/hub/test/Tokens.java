package dev.herald.hub.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Mints Mercure 1.0 access tokens for black-box tests: {@link #publisher} and {@link #subscriber}
 * for the common case, {@link #mint()} for every other form (other keys and issuers, missing or
 * wrong claims, {@code alg: none}, algorithm confusion, pre-1.0 tokens with {@link Mint#legacy}).
 */
public final class Tokens {

    public static final String KEY = "test-publisher-key-0123456789-abcdefghij";
    public static final String ISSUER = "https://issuer.test";
    /** Test key pairs, generated once per JVM (RSA generation is slow). */
    public static final KeyPair RSA = generate("RSA", null);
    public static final KeyPair EC = generate("EC", "secp256r1");

    private Tokens() {
    }

    public static String publisher(String audience, String... topics) {
        return token(audience, "publish", List.of(topics), Duration.ofMinutes(5));
    }

    public static String subscriber(String audience, String... topics) {
        return token(audience, "subscribe", List.of(topics), Duration.ofMinutes(5));
    }

    /** A token of {@link #ISSUER} signed HS256 with {@link #KEY}; matchers prefixed {@code urlpattern:} are URL patterns. */
    public static String token(String audience, String action, List<String> matchers, Duration lifetime) {
        return mint().audience(audience).subject("test-" + action).grant(action, matchers.toArray(new String[0]))
                .expiresIn(lifetime).sign();
    }

    /** A builder starting from a valid token of {@link #ISSUER} for {@link TestHubs#AUDIENCE}, HS256 with {@link #KEY}, 5 minutes, no grant. */
    public static Mint mint() {
        return new Mint();
    }

    /** A web UI token minter signing like {@link #mint()}; URL patterns become {@code urlpattern:} grants. */
    public static dev.herald.hub.UiTokenMinter uiMinter() {
        return (publish, subscribe, urlPatterns, lifetime, subject) -> {
            Mint m = mint().subject(subject).expiresIn(lifetime);
            java.util.function.Function<List<String>, String[]> typed = list -> list.stream()
                    .map(x -> urlPatterns && !x.equals("*") ? "urlpattern:" + x : x).toArray(String[]::new);
            if (!publish.isEmpty()) {
                m.publish(typed.apply(publish));
            }
            if (!subscribe.isEmpty()) {
                m.subscribe(typed.apply(subscribe));
            }
            return m.sign();
        };
    }

    /** {@code key} as PEM {@code PUBLIC KEY} text. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A JWK Set document with the public keys of {@code pairs}, each with the key ID at the same position. */
    public static String jwks(List<KeyPair> pairs, List<String> keyIds) {
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            PublicKey pub = pairs.get(i).getPublic();
            keys.add(pub instanceof RSAPublicKey r ? new RSAKey.Builder(r).keyID(keyIds.get(i)).build()
                    : new ECKey.Builder(Curve.P_256, (ECPublicKey) pub).keyID(keyIds.get(i)).build());
        }
        return new JWKSet(keys).toString(true);
    }

    public static KeyPair generate(String algorithm, String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                g.initialize(new ECGenParameterSpec(curve));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Builds one token. Not thread-safe. */
    public static final class Mint {
        private String issuer = ISSUER;
        private String audience = TestHubs.AUDIENCE;
        private String subject = "test-subject";
        private Instant expiry = Instant.now().plus(Duration.ofMinutes(5));
        private boolean withExpiry = true;
        private String type = "at+jwt";
        private String keyId;
        private final List<Object> details = new ArrayList<>();
        private Map<String, Object> mercure;
        private JWSAlgorithm alg = JWSAlgorithm.HS256;
        private JWSSigner signer;

        private Mint() {
            try {
                signer = new MACSigner(KEY.getBytes(StandardCharsets.UTF_8));
            } catch (JOSEException e) {
                throw new AssertionError(e);
            }
        }

        public Mint issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Mint audience(String audience) {
            this.audience = audience;
            return this;
        }

        /** {@code null} leaves {@code sub} out. */
        public Mint subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Mint expiresIn(Duration lifetime) {
            this.expiry = Instant.now().plus(lifetime);
            return this;
        }

        public Mint expiresAt(Instant expiry) {
            this.expiry = expiry;
            return this;
        }

        public Mint noExpiry() {
            this.withExpiry = false;
            return this;
        }

        /** The {@code typ} header; {@code null} leaves it out. */
        public Mint type(String type) {
            this.type = type;
            return this;
        }

        public Mint keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        /** Adds a Mercure authorization detail granting {@code action} on {@code matchers} ({@code urlpattern:} prefix for URL patterns). */
        public Mint grant(String action, String... matchers) {
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
            details.add(detail);
            return this;
        }

        /** Gives the detail added last a {@code payload} (Mercure §"Payloads"). */
        public Mint payload(Map<String, Object> payload) {
            @SuppressWarnings("unchecked")
            Map<String, Object> last = (Map<String, Object>) details.get(details.size() - 1);
            last.put("payload", payload);
            return this;
        }

        /**
         * Makes this a pre-1.0 token (Mercure appendix "Changes from Pre-Standardization Deployments"):
         * no {@code typ}, no {@code aud}, and the {@code mercure} claim with these selectors
         * ({@code payload} left out when {@code null}) instead of {@code authorization_details}.
         */
        public Mint legacy(List<String> publish, List<String> subscribe, Object payload) {
            this.type = null;
            this.audience = null;
            this.mercure = new LinkedHashMap<>();
            mercure.put("publish", publish);
            mercure.put("subscribe", subscribe);
            if (payload != null) {
                mercure.put("payload", payload);
            }
            return this;
        }

        public Mint publish(String... matchers) {
            return grant("publish", matchers);
        }

        public Mint subscribe(String... matchers) {
            return grant("subscribe", matchers);
        }

        /** Signs HS256 with {@code secret} (any bytes, even a PEM text: algorithm-confusion tests). */
        public Mint hmac(byte[] secret) {
            try {
                this.alg = JWSAlgorithm.HS256;
                this.signer = new MACSigner(secret);
            } catch (JOSEException e) {
                throw new AssertionError(e);
            }
            return this;
        }

        public Mint hmac(String secret) {
            return hmac(secret.getBytes(StandardCharsets.UTF_8));
        }

        /** Signs RS256 with {@code pair}'s private key. */
        public Mint rsa(KeyPair pair) {
            this.alg = JWSAlgorithm.RS256;
            this.signer = new RSASSASigner(pair.getPrivate());
            return this;
        }

        /** Signs ES256 with {@code pair}'s private key. */
        public Mint ec(KeyPair pair) {
            try {
                this.alg = JWSAlgorithm.ES256;
                this.signer = new ECDSASigner((ECPrivateKey) pair.getPrivate());
            } catch (JOSEException e) {
                throw new AssertionError(e);
            }
            return this;
        }

        private JWTClaimsSet claims() {
            Instant now = Instant.now();
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .audience(audience)
                    .subject(subject)
                    .claim("client_id", "tests")
                    .issueTime(Date.from(now))
                    .jwtID(UUID.randomUUID().toString());
            if (mercure != null) {
                c.claim("mercure", mercure);
            }
            if (mercure == null || !details.isEmpty()) {
                c.claim("authorization_details", details);
            }
            if (withExpiry) {
                c.expirationTime(Date.from(expiry));
            }
            return c.build();
        }

        public String sign() {
            JWSHeader.Builder h = new JWSHeader.Builder(alg);
            if (type != null) {
                h.type(new JOSEObjectType(type));
            }
            if (keyId != null) {
                h.keyID(keyId);
            }
            SignedJWT jwt = new SignedJWT(h.build(), claims());
            try {
                jwt.sign(signer);
            } catch (JOSEException e) {
                throw new AssertionError(e);
            }
            return jwt.serialize();
        }

        /** The same claims with {@code {"alg":"none"}} and an empty signature (RFC 7519 §6 unsecured JWT). */
        public String unsecured() {
            String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}").toString();
            String payload = Base64URL.encode(claims().toString()).toString();
            return header + "." + payload + ".";
        }
    }
}
