package dev.herald.hub.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Test key material, generated once per JVM (RSA key generation is slow). */
final class Keys {

    static final SecureRandom RANDOM = new SecureRandom();

    static final KeyPair RSA_A = rsa(2048);
    static final KeyPair RSA_B = rsa(2048);
    static final KeyPair EC_A = ec("secp256r1");
    static final KeyPair EC_384 = ec("secp384r1");
    static final KeyPair ED_A = ed25519();
    static final byte[] HMAC_PUBLISHER = secret(32);
    static final byte[] HMAC_SUBSCRIBER = secret(32);
    static final byte[] HMAC_B = secret(64);

    private Keys() {
    }

    static byte[] secret(int length) {
        byte[] secret = new byte[length];
        RANDOM.nextBytes(secret);
        return secret;
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code key} as a PEM {@code PUBLIC KEY} block, as {@code openssl pkey -pubout} writes it. */
    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static byte[] pemBytes(PublicKey key) {
        return pem(key).getBytes(StandardCharsets.US_ASCII);
    }

    /** The raw 32-byte Ed25519 public key (the JWK {@code x}): the tail of its SubjectPublicKeyInfo. */
    static byte[] rawEd25519(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    static JWSSigner hmac(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static JWSSigner rsaSigner(KeyPair pair) {
        return new RSASSASigner(pair.getPrivate());
    }

    static JWSSigner ecSigner(KeyPair pair) {
        try {
            return new ECDSASigner((ECPrivateKey) pair.getPrivate());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }
}
