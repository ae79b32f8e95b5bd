package dev.herald.hub.internal.auth;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a public key from PEM text with the JDK alone: a {@code PUBLIC KEY} block (X.509
 * SubjectPublicKeyInfo, RFC 7468 §13, what {@code openssl pkey -pubout} writes) or a
 * {@code CERTIFICATE} block (RFC 7468 §5), whose subject key is taken. The key algorithm (RSA, EC or
 * Ed25519) comes from the encoded key itself, never from a caller's guess, so key material cannot
 * be reinterpreted as another kind of key.
 *
 * <p>Stateless and thread-safe.
 */
final class PemKeys {

    private static final String[] KEY_FACTORIES = {"RSA", "EC", "Ed25519"};

    private PemKeys() {
    }

    /**
     * The public key in {@code pem}.
     *
     * @throws IllegalArgumentException if there is no single supported PEM block or the key cannot be read
     */
    static PublicKey parse(String pem) {
        String label = label(pem);
        byte[] der = body(pem, label);
        if (label.equals("CERTIFICATE")) {
            try {
                return CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der))
                        .getPublicKey();
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("pem: unreadable X.509 certificate", e);
            }
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : KEY_FACTORIES) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // not a key of this algorithm: try the next one
            }
        }
        throw new IllegalArgumentException("pem: not an RSA, EC or Ed25519 SubjectPublicKeyInfo");
    }

    private static String label(String pem) {
        int begin = pem.indexOf("-----BEGIN ");
        if (begin < 0) {
            throw new IllegalArgumentException("pem: no '-----BEGIN ' line (expected: PUBLIC KEY or CERTIFICATE)");
        }
        int end = pem.indexOf("-----", begin + 11);
        if (end < 0) {
            throw new IllegalArgumentException("pem: unterminated BEGIN line");
        }
        String label = pem.substring(begin + 11, end);
        if (!label.equals("PUBLIC KEY") && !label.equals("CERTIFICATE")) {
            // "RSA PUBLIC KEY" (PKCS #1) and every private-key label are refused: a hub needs public keys only
            throw new IllegalArgumentException("pem: label " + Excerpt.of(label)
                    + " (expected: PUBLIC KEY or CERTIFICATE)");
        }
        if (pem.indexOf("-----BEGIN ", end) >= 0) {
            throw new IllegalArgumentException("pem: more than one PEM block (expected: exactly one)");
        }
        return label;
    }

    private static byte[] body(String pem, String label) {
        String beginLine = "-----BEGIN " + label + "-----";
        String endLine = "-----END " + label + "-----";
        int from = pem.indexOf(beginLine) + beginLine.length();
        int to = pem.indexOf(endLine, from);
        if (to < 0) {
            throw new IllegalArgumentException("pem: missing " + endLine);
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from, to).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pem: invalid base64 body", e);
        }
    }
}
