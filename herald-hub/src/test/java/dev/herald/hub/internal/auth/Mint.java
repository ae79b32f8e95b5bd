package dev.herald.hub.internal.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Mints test tokens. Header and claims are free-form JSON so that tests can build every defect; by
 * default the token is a well-formed RFC 9068 access token of issuer A for the test hub, valid at
 * {@link #NOW} for five minutes, without authorization details.
 */
final class Mint {

    static final String HUB = "https://hub.example.com/.well-known/mercure";
    static final String METADATA = "https://hub.example.com/.well-known/oauth-protected-resource/.well-known/mercure";
    static final String ISSUER_A = "https://a.example.com";
    static final String ISSUER_B = "https://b.example.com";
    static final String ISSUER_ED = "https://ed.example.com";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String DETAIL_TYPE = "https://mercure.rocks/authorization-detail";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ObjectNode header = JSON.createObjectNode();
    private final ObjectNode claims = JSON.createObjectNode();
    private String rawClaims;

    private Mint(String alg) {
        header.put("alg", alg).put("typ", "at+jwt");
        claims.put("iss", ISSUER_A)
                .put("aud", HUB)
                .put("sub", "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6")
                .put("client_id", ISSUER_A)
                .put("iat", NOW.getEpochSecond() - 10)
                .put("exp", NOW.getEpochSecond() + 300)
                .put("jti", "urn:uuid:e70ff8d7-59d5-4a92-b0b7-505e8f6d09fa");
    }

    static Mint token(String alg) {
        return new Mint(alg);
    }

    /** Sets a header parameter ({@code null} removes it); a {@code String} starting with {@code [} or {@code {} is raw JSON. */
    Mint header(String name, Object value) {
        set(header, name, value);
        return this;
    }

    /** Sets a claim ({@code null} removes it); a {@code String} starting with {@code [} or {@code {} is raw JSON. */
    Mint claim(String name, Object value) {
        set(claims, name, value);
        return this;
    }

    /** The {@code authorization_details} claim as raw JSON. */
    Mint details(String json) {
        return claim("authorization_details", json);
    }

    /** Replaces the whole claims part with {@code json}, byte for byte. */
    Mint rawClaims(String json) {
        this.rawClaims = json;
        return this;
    }

    String signedWith(JWSSigner signer) {
        String input = signingInput();
        try {
            JWSHeader parsed = JWSHeader.parse(Base64URL.from(input.substring(0, input.indexOf('.'))));
            return input + "." + signer.sign(parsed, input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException | java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    String signedWithEd25519(PrivateKey key) {
        String input = signingInput();
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The token with {@code signature} (already base64url) as its signature part. */
    String withSignature(String signature) {
        return signingInput() + "." + signature;
    }

    private String signingInput() {
        String claimsJson = rawClaims != null ? rawClaims : claims.toString();
        return B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
    }

    private static void set(ObjectNode node, String name, Object value) {
        if (value == null) {
            node.remove(name);
        } else if (value instanceof String && (((String) value).startsWith("[") || ((String) value).startsWith("{"))) {
            node.set(name, parse((String) value));
        } else if (value instanceof JsonNode) {
            node.set(name, (JsonNode) value);
        } else {
            node.set(name, JSON.valueToTree(value));
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /** A Mercure authorization detail as JSON: {@code actions} and {@code topics} given as raw JSON arrays. */
    static String detail(String actions, String topics) {
        return "{\"type\":\"" + DETAIL_TYPE + "\",\"actions\":" + actions + ",\"topics\":" + topics + "}";
    }
}
