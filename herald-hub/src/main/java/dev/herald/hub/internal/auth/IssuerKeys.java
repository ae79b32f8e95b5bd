package dev.herald.hub.internal.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.util.Base64URL;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * All keys of one trusted issuer for one role: its static keys first, in configuration order, then
 * its JWK Set if it has one. Only keys allowed the token's {@code alg} are tried; a token
 * {@code kid} narrows the candidates to keys with that ID or with none (a hint among trusted keys,
 * never a way to introduce one, Mercure §"Token Validation").
 *
 * <p>Thread-safe.
 */
final class IssuerKeys implements Closeable {

    /** The outcome of {@link #verify}; every value but {@link #VERIFIED} rejects the token. */
    enum Outcome {
        VERIFIED,
        /** No key of the issuer may verify this {@code alg} (with this {@code kid}). */
        NO_KEY,
        /** Candidate keys existed, none produced a valid signature. */
        BAD_SIGNATURE,
        /** The JWK Set could not be obtained and no static key verified the token. */
        KEYS_UNAVAILABLE
    }

    private static final class StaticKey {
        final VerificationKey key;
        final SignatureVerifier verifier;

        StaticKey(VerificationKey key) {
            this.key = key;
            this.verifier = key.newVerifier();
        }
    }

    private final List<StaticKey> staticKeys;
    private final JwksKeySource jwks;

    IssuerKeys(TrustedIssuer issuer) {
        List<StaticKey> keys = new ArrayList<>(issuer.keys().size());
        for (VerificationKey key : issuer.keys()) {
            keys.add(new StaticKey(key));
        }
        this.staticKeys = List.copyOf(keys);
        this.jwks = issuer.jwks().map(JwksKeySource::new).orElse(null);
    }

    Outcome verify(JWSHeader header, JwsAlgorithm algorithm, byte[] signingInput, Base64URL signature) {
        String kid = header.getKeyID();
        boolean candidate = false;
        for (StaticKey entry : staticKeys) {
            if (!entry.key.allows(algorithm)) {
                continue;
            }
            String keyId = entry.key.nullableKeyId();
            if (kid != null && keyId != null && !keyId.equals(kid)) {
                continue;
            }
            candidate = true;
            if (entry.verifier.verify(header, signingInput, signature)) {
                return Outcome.VERIFIED;
            }
        }
        if (jwks != null) {
            List<SignatureVerifier> fetched;
            try {
                fetched = jwks.verifiers(header, algorithm);
            } catch (KeySourceException e) {
                return Outcome.KEYS_UNAVAILABLE;
            }
            for (SignatureVerifier verifier : fetched) {
                candidate = true;
                if (verifier.verify(header, signingInput, signature)) {
                    return Outcome.VERIFIED;
                }
            }
        }
        return candidate ? Outcome.BAD_SIGNATURE : Outcome.NO_KEY;
    }

    @Override
    public void close() throws IOException {
        if (jwks != null) {
            jwks.close();
        }
    }
}
