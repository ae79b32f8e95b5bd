package dev.herald.hub.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;

/**
 * Checks one JWS signature with one trusted key. The caller has already established that the
 * header's {@code alg} is allowed for that key; implementations re-check what the underlying
 * library checks anyway and never throw: any failure is {@code false}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
interface SignatureVerifier {

    /** Whether {@code signature} is a valid signature of {@code signingInput} under the header's algorithm. */
    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature);

    /** Adapts a nimbus verifier (the nimbus HMAC, RSA and EC verifiers are thread-safe). */
    static SignatureVerifier of(JWSVerifier nimbus) {
        return (header, signingInput, signature) -> {
            try {
                return nimbus.verify(header, signingInput, signature);
            } catch (JOSEException | RuntimeException e) {
                // e.g. the algorithm is not one this verifier supports: not a valid signature
                return false;
            }
        };
    }
}
