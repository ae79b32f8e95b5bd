package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Verifies EdDSA signatures over Ed25519 (RFC 8037 §3.1) with the JDK's own implementation
 * (JEP 339, Java 15+). nimbus-jose-jwt's {@code Ed25519Verifier} needs Google Tink on the class
 * path, which this hub does not ship, so the JDK provider is used instead.
 *
 * <p>Immutable and thread-safe: a {@link Signature} is obtained per call.
 */
final class Ed25519SignatureVerifier implements SignatureVerifier {

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), followed by the 32-byte key. */
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };
    private static final int KEY_LENGTH = 32;
    private static final int SIGNATURE_LENGTH = 64;

    private final PublicKey key;

    Ed25519SignatureVerifier(PublicKey key) {
        requireNonNull(key, "key");
        if (!isEd25519(key)) {
            throw new IllegalArgumentException("key: " + key.getAlgorithm() + " (expected: an Ed25519 public key)");
        }
        this.key = key;
    }

    static boolean isEd25519(PublicKey key) {
        return key instanceof EdECPublicKey && "Ed25519".equalsIgnoreCase(((EdECPublicKey) key).getParams().getName());
    }

    /** The Ed25519 public key whose raw encoding (RFC 8032 §5.1.5, a JWK's {@code x}) is {@code x}. */
    static PublicKey fromRaw(byte[] x) throws GeneralSecurityException {
        if (x.length != KEY_LENGTH) {
            throw new GeneralSecurityException("Ed25519 key of " + x.length + " bytes (expected: 32)");
        }
        byte[] der = new byte[SPKI_PREFIX.length + KEY_LENGTH];
        System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
        System.arraycopy(x, 0, der, SPKI_PREFIX.length, KEY_LENGTH);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
        String alg = header.getAlgorithm().getName();
        if (!alg.equals("EdDSA") && !alg.equals("Ed25519")) {
            return false;
        }
        byte[] raw = signature.decode();
        if (raw.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(raw);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
