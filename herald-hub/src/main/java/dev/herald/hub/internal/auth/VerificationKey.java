package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import dev.herald.hub.internal.auth.JwsAlgorithm.Family;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One statically configured token-verification key, bound to the algorithms it may verify
 * (Mercure §"Token Validation": an explicit allowlist, never derived from the token, and {@code alg}
 * compatible with the key). The allowlist defaults to what the key type supports:
 *
 * <ul>
 *   <li>HMAC secret: each of HS256, HS384, HS512 whose minimum key length (RFC 7518 §3.2: the hash
 *       size) the secret meets; secrets under 32 bytes are refused;
 *   <li>RSA public key (at least {@value #MIN_RSA_KEY_BITS} bits, RFC 7518 §3.3): RS256/384/512 and
 *       PS256/384/512;
 *   <li>EC public key: the one ES algorithm of its curve (P-256 → ES256, P-384 → ES384,
 *       P-521 → ES512, RFC 7518 §3.4); other curves are refused;
 *   <li>Ed25519 public key: EdDSA and Ed25519 (RFC 8037, RFC 9864).
 * </ul>
 *
 * An explicit allowlist must be a non-empty subset of that default. An optional key ID lets a
 * token's {@code kid} choose among one issuer's keys; it never brings in a key of its own.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows secret material.
 */
public final class VerificationKey {

    /** The smallest RSA modulus accepted, in bits (RFC 7518 §3.3). */
    public static final int MIN_RSA_KEY_BITS = 2048;

    /** The smallest HMAC secret accepted, in bytes: HS256's minimum (RFC 7518 §3.2). */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    private static final Set<JwsAlgorithm> HMAC_ALGORITHMS = Collections.unmodifiableSet(EnumSet.of(
            JwsAlgorithm.HS256, JwsAlgorithm.HS384, JwsAlgorithm.HS512));
    private static final Set<JwsAlgorithm> RSA_ALGORITHMS = Collections.unmodifiableSet(EnumSet.of(
            JwsAlgorithm.RS256, JwsAlgorithm.RS384, JwsAlgorithm.RS512,
            JwsAlgorithm.PS256, JwsAlgorithm.PS384, JwsAlgorithm.PS512));
    private static final Set<JwsAlgorithm> ED25519_ALGORITHMS =
            Collections.unmodifiableSet(EnumSet.of(JwsAlgorithm.EDDSA, JwsAlgorithm.ED25519));

    private final Family family;
    private final byte[] secret;
    private final PublicKey publicKey;
    private final String keyId;
    private final Set<JwsAlgorithm> algorithms;
    private final String description;

    private VerificationKey(Family family, byte[] secret, PublicKey publicKey, String keyId,
            Set<JwsAlgorithm> algorithms, String description) {
        this.family = family;
        this.secret = secret;
        this.publicKey = publicKey;
        this.keyId = keyId;
        this.algorithms = algorithms;
        this.description = description;
    }

    /** A shared HMAC secret, allowed every HS algorithm its length permits. The array is copied. */
    public static VerificationKey ofHmacSecret(byte[] secret) {
        requireNonNull(secret, "secret");
        checkHmacSecret(secret);
        EnumSet<JwsAlgorithm> allowed = EnumSet.noneOf(JwsAlgorithm.class);
        for (JwsAlgorithm algorithm : HMAC_ALGORITHMS) {
            if (secret.length >= algorithm.minSecretBytes()) {
                allowed.add(algorithm);
            }
        }
        return hmac(secret, allowed);
    }

    /** A shared HMAC secret allowed exactly {@code algorithms}. The array is copied. */
    public static VerificationKey ofHmacSecret(byte[] secret, Set<JwsAlgorithm> algorithms) {
        requireNonNull(secret, "secret");
        requireNonNull(algorithms, "algorithms");
        checkHmacSecret(secret);
        EnumSet<JwsAlgorithm> allowed = checkedSubset(algorithms, HMAC_ALGORITHMS, "an HMAC secret");
        for (JwsAlgorithm algorithm : allowed) {
            if (secret.length < algorithm.minSecretBytes()) {
                throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: >= "
                        + algorithm.minSecretBytes() + " for " + algorithm.jwaName() + ", RFC 7518 §3.2)");
            }
        }
        return hmac(secret, allowed);
    }

    /** The RSA, EC or Ed25519 public key in PEM text ({@code PUBLIC KEY} or {@code CERTIFICATE}), default algorithms. */
    public static VerificationKey ofPublicKeyPem(String pem) {
        requireNonNull(pem, "pem");
        return ofPublicKey(PemKeys.parse(pem));
    }

    /** The RSA, EC or Ed25519 public key in PEM text, allowed exactly {@code algorithms}. */
    public static VerificationKey ofPublicKeyPem(String pem, Set<JwsAlgorithm> algorithms) {
        requireNonNull(pem, "pem");
        return ofPublicKey(PemKeys.parse(pem), algorithms);
    }

    /** An RSA, EC or Ed25519 public key with the default algorithms of its type. */
    public static VerificationKey ofPublicKey(PublicKey key) {
        requireNonNull(key, "key");
        return ofPublicKey(key, defaultAlgorithms(key));
    }

    /** An RSA, EC or Ed25519 public key allowed exactly {@code algorithms}. */
    public static VerificationKey ofPublicKey(PublicKey key, Set<JwsAlgorithm> algorithms) {
        requireNonNull(key, "key");
        requireNonNull(algorithms, "algorithms");
        Set<JwsAlgorithm> compatible = defaultAlgorithms(key);
        EnumSet<JwsAlgorithm> allowed = checkedSubset(algorithms, compatible, describeType(key));
        Family family = familyOf(key);
        return new VerificationKey(family, null, key, null, Collections.unmodifiableSet(allowed),
                describe(key));
    }

    /** This key with the key ID {@code keyId}, matched byte by byte against a token's {@code kid}. */
    public VerificationKey withKeyId(String keyId) {
        requireNonNull(keyId, "keyId");
        if (keyId.isEmpty()) {
            throw new IllegalArgumentException("keyId: \"\" (expected: non-empty)");
        }
        return new VerificationKey(family, secret, publicKey, keyId, algorithms, description);
    }

    /** The key ID a token's {@code kid} can name, if any. */
    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }

    /** The algorithms this key may verify; never empty, never {@code none}. */
    public Set<JwsAlgorithm> algorithms() {
        return algorithms;
    }

    /** {@code "HMAC"}, {@code "RSA"}, {@code "EC"} or {@code "Ed25519"}. */
    public String keyType() {
        return family == Family.ED25519 ? "Ed25519" : family.name();
    }

    String nullableKeyId() {
        return keyId;
    }

    boolean allows(JwsAlgorithm algorithm) {
        return algorithms.contains(algorithm);
    }

    /** A verifier for this key; built once per configured key by the token verifier. */
    SignatureVerifier newVerifier() {
        try {
            switch (family) {
                case HMAC:
                    return SignatureVerifier.of(new MACVerifier(secret));
                case RSA:
                    return SignatureVerifier.of(new RSASSAVerifier((RSAPublicKey) publicKey));
                case EC:
                    return SignatureVerifier.of(new ECDSAVerifier((ECPublicKey) publicKey));
                case ED25519:
                    return new Ed25519SignatureVerifier(publicKey);
                default:
                    throw new AssertionError(family);
            }
        } catch (JOSEException e) {
            // every key was validated on construction
            throw new IllegalStateException("unusable " + description, e);
        }
    }

    @Override
    public String toString() {
        return "VerificationKey[" + description + (keyId == null ? "" : ", kid=" + Excerpt.of(keyId))
                + ", algorithms=" + names(algorithms) + "]";
    }

    private static VerificationKey hmac(byte[] secret, EnumSet<JwsAlgorithm> allowed) {
        return new VerificationKey(Family.HMAC, secret.clone(), null, null, Collections.unmodifiableSet(allowed),
                "HMAC secret of " + secret.length + " bytes");
    }

    private static void checkHmacSecret(byte[] secret) {
        if (secret.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: >= "
                    + MIN_HMAC_SECRET_BYTES + ", RFC 7518 §3.2)");
        }
        // A PEM block is public information: using one as a shared secret lets anyone forge tokens
        // (the classic RS256/HS256 confusion, here as a configuration mistake). Refuse it outright.
        if (new String(secret, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
            throw new IllegalArgumentException(
                    "secret: looks like a PEM block (expected: a random secret; use ofPublicKeyPem for public keys)");
        }
    }

    /**
     * A copy of {@code algorithms}, checked non-empty and within {@code compatible} (the algorithms
     * the key type supports): an algorithm outside it would be an algorithm-confusion hole.
     */
    private static EnumSet<JwsAlgorithm> checkedSubset(Set<JwsAlgorithm> algorithms, Set<JwsAlgorithm> compatible,
            String keyDescription) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms: [] (expected: at least one)");
        }
        EnumSet<JwsAlgorithm> copy = EnumSet.noneOf(JwsAlgorithm.class);
        for (JwsAlgorithm algorithm : algorithms) {
            copy.add(requireNonNull(algorithm, "algorithms element"));
        }
        for (JwsAlgorithm algorithm : copy) {
            if (!compatible.contains(algorithm)) {
                throw new IllegalArgumentException("algorithms: " + algorithm.jwaName() + " is not compatible with "
                        + keyDescription + " (expected: a subset of " + names(compatible) + ")");
            }
        }
        return copy;
    }

    private static Family familyOf(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return Family.RSA;
        }
        if (key instanceof ECPublicKey) {
            return Family.EC;
        }
        if (Ed25519SignatureVerifier.isEd25519(key)) {
            return Family.ED25519;
        }
        throw new IllegalArgumentException("key: " + key.getAlgorithm()
                + " (expected: an RSA, EC (P-256, P-384, P-521) or Ed25519 public key)");
    }

    private static Set<JwsAlgorithm> defaultAlgorithms(PublicKey key) {
        switch (familyOf(key)) {
            case RSA:
                int bits = ((RSAPublicKey) key).getModulus().bitLength();
                if (bits < MIN_RSA_KEY_BITS) {
                    throw new IllegalArgumentException("key: RSA " + bits + " bits (expected: >= "
                            + MIN_RSA_KEY_BITS + ", RFC 7518 §3.3)");
                }
                return RSA_ALGORITHMS;
            case EC:
                return Collections.unmodifiableSet(EnumSet.of(ecAlgorithm((ECPublicKey) key)));
            case ED25519:
                return ED25519_ALGORITHMS;
            default:
                throw new AssertionError();
        }
    }

    /** The one ES algorithm defined for the key's curve (RFC 7518 §3.4). */
    static JwsAlgorithm ecAlgorithm(ECPublicKey key) {
        Curve curve = Curve.forECParameterSpec(key.getParams());
        if (Curve.P_256.equals(curve)) {
            return JwsAlgorithm.ES256;
        }
        if (Curve.P_384.equals(curve)) {
            return JwsAlgorithm.ES384;
        }
        if (Curve.P_521.equals(curve)) {
            return JwsAlgorithm.ES512;
        }
        throw new IllegalArgumentException("key: EC curve " + (curve == null ? "unknown" : curve.getName())
                + " (expected: P-256, P-384 or P-521)");
    }

    private static String describeType(PublicKey key) {
        Family family = familyOf(key);
        return family == Family.ED25519 ? "an Ed25519 key" : (family == Family.RSA ? "an RSA key" : "an EC key");
    }

    private static String describe(PublicKey key) {
        switch (familyOf(key)) {
            case RSA:
                return "RSA public key of " + ((RSAPublicKey) key).getModulus().bitLength() + " bits";
            case EC:
                return "EC public key for " + ecAlgorithm((ECPublicKey) key).jwaName();
            default:
                return "Ed25519 public key";
        }
    }

    static String names(Set<JwsAlgorithm> algorithms) {
        StringBuilder out = new StringBuilder("[");
        for (JwsAlgorithm algorithm : algorithms) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(algorithm.jwaName());
        }
        return out.append(']').toString();
    }
}
