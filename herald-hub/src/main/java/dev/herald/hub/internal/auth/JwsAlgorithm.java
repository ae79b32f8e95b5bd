package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * The JWS signature algorithms (RFC 7518 §3, RFC 8037 §3.1, RFC 9864) a hub can be configured to
 * accept. There is deliberately no constant for {@code none}: an unsecured token can never be on an
 * allowlist (Mercure §"Token Validation": hubs MUST NOT accept {@code alg=none}).
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum JwsAlgorithm {
    HS256(Family.HMAC, 32),
    HS384(Family.HMAC, 48),
    HS512(Family.HMAC, 64),
    RS256(Family.RSA, 0),
    RS384(Family.RSA, 0),
    RS512(Family.RSA, 0),
    PS256(Family.RSA, 0),
    PS384(Family.RSA, 0),
    PS512(Family.RSA, 0),
    ES256(Family.EC, 0),
    ES384(Family.EC, 0),
    ES512(Family.EC, 0),
    /** The polymorphic EdDSA identifier of RFC 8037; only Ed25519 keys are supported. */
    EDDSA(Family.ED25519, 0),
    /** The fully-specified Ed25519 identifier of RFC 9864. */
    ED25519(Family.ED25519, 0);

    /** The key families an algorithm can be used with; an algorithm belongs to exactly one. */
    enum Family {
        HMAC, RSA, EC, ED25519
    }

    private final Family family;
    private final int minSecretBytes;
    private final JWSAlgorithm nimbus;

    JwsAlgorithm(Family family, int minSecretBytes) {
        this.family = family;
        this.minSecretBytes = minSecretBytes;
        this.nimbus = JWSAlgorithm.parse(registeredName(name()));
    }

    private static String registeredName(String constant) {
        switch (constant) {
            case "EDDSA":
                return "EdDSA";
            case "ED25519":
                return "Ed25519";
            default:
                return constant;
        }
    }

    /** The registered JWA name, as it appears in a JWS {@code alg} header ({@code "ES256"}, {@code "EdDSA"}). */
    public String jwaName() {
        return nimbus.getName();
    }

    /**
     * The algorithm registered under {@code jwaName} (case-sensitive, RFC 7515 §4.1.1).
     *
     * @throws IllegalArgumentException for {@code none} and every name this hub cannot verify
     */
    public static JwsAlgorithm ofJwaName(String jwaName) {
        requireNonNull(jwaName, "jwaName");
        JwsAlgorithm found = lookup(jwaName);
        if (found == null) {
            throw new IllegalArgumentException("jwaName: " + Excerpt.of(jwaName)
                    + " (expected: one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512,"
                    + " ES256, ES384, ES512, EdDSA, Ed25519)");
        }
        return found;
    }

    /** Like {@link #ofJwaName(String)} but {@code null} for an unknown name: for untrusted input. */
    static JwsAlgorithm lookup(String jwaName) {
        for (JwsAlgorithm algorithm : Registry.ALL) {
            if (algorithm.nimbus.getName().equals(jwaName)) {
                return algorithm;
            }
        }
        return null;
    }

    /** The constants, without the copy {@code values()} makes on every call. */
    private static final class Registry {
        static final JwsAlgorithm[] ALL = values();
    }

    Family family() {
        return family;
    }

    /** RFC 7518 §3.2: an HMAC key MUST be at least as long as the hash output; 0 for other families. */
    int minSecretBytes() {
        return minSecretBytes;
    }

    JWSAlgorithm toNimbus() {
        return nimbus;
    }
}
