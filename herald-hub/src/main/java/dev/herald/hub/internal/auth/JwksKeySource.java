package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of one issuer's JWK Set, fetched, cached and rotated by nimbus's {@code JWKSourceBuilder}
 * (cache with background refresh-ahead; a {@code kid} absent from the cached set forces one
 * rate-limited refresh). Selection is done here rather than with nimbus's header-driven matcher so
 * that only header fields this hub trusts as hints ({@code alg}, {@code kid}) take part.
 *
 * <p>Thread-safe. A lookup may block the calling thread for up to the connect plus read time-outs
 * when the set must be (re)fetched: on the first use, after the cache expired without traffic, or
 * on an unknown {@code kid}.
 */
final class JwksKeySource implements Closeable {

    /** Bounds the verifier cache; a set is rarely more than a handful of keys, rotation adds a few. */
    private static final int MAX_CACHED_VERIFIERS = 64;

    private final JWKSource<SecurityContext> source;
    private final JwksSettings settings;
    private final Map<JWK, SignatureVerifier> verifiers = new ConcurrentHashMap<>();

    JwksKeySource(JwksSettings settings) {
        this.settings = requireNonNull(settings, "settings");
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                (int) settings.connectTimeout().toMillis(),
                (int) settings.readTimeout().toMillis(),
                settings.maxSizeBytes());
        JWKSourceBuilder<SecurityContext> builder;
        try {
            builder = JWKSourceBuilder.create(settings.url().toURL(), retriever);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwks url: " + settings.url(), e);
        }
        long ttl = settings.cacheTimeToLive().toMillis();
        builder.cache(ttl, settings.refreshTimeout().toMillis())
                .rateLimited(settings.rateLimitInterval().toMillis());
        long refreshAhead = settings.refreshAheadTime().toMillis();
        if (refreshAhead > 0) {
            builder.refreshAheadCache(refreshAhead, false);
        } else {
            builder.refreshAheadCache(false);
        }
        this.source = builder.build();
    }

    /**
     * Verifiers for the keys of the set that may check a token with this header: same key type and
     * curve as {@code algorithm}, the token's {@code kid} if it has one, usable for signatures, and a
     * JWK {@code alg} (if any) equal to the token's.
     *
     * @throws KeySourceException if the set cannot be fetched (or the refresh rate limit was hit)
     */
    List<SignatureVerifier> verifiers(JWSHeader header, JwsAlgorithm algorithm) throws KeySourceException {
        if (!settings.algorithms().contains(algorithm)) {
            return List.of();
        }
        JWKMatcher.Builder matcher = new JWKMatcher.Builder()
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(algorithm.toNimbus(), null);
        if (header.getKeyID() != null) {
            matcher.keyID(header.getKeyID());
        }
        switch (algorithm.family()) {
            case RSA:
                matcher.keyType(KeyType.RSA);
                break;
            case EC:
                matcher.keyType(KeyType.EC).curves(Curve.forJWSAlgorithm(algorithm.toNimbus()));
                break;
            case ED25519:
                matcher.keyType(KeyType.OKP).curves(Curve.Ed25519);
                break;
            default:
                return List.of(); // HMAC: never from a (public) JWK Set
        }
        List<JWK> keys = source.get(new JWKSelector(matcher.build()), null);
        List<SignatureVerifier> out = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
                continue;
            }
            SignatureVerifier verifier = verifier(key);
            if (verifier != null) {
                out.add(verifier);
            }
        }
        return out;
    }

    private SignatureVerifier verifier(JWK key) {
        SignatureVerifier cached = verifiers.get(key);
        if (cached != null) {
            return cached;
        }
        SignatureVerifier created = create(key);
        if (created != null) {
            if (verifiers.size() >= MAX_CACHED_VERIFIERS) {
                verifiers.clear(); // rotation churn: start over rather than track recency
            }
            verifiers.put(key, created);
        }
        return created;
    }

    /** A verifier for a matched key, or {@code null} for a key too weak or malformed to use. */
    private static SignatureVerifier create(JWK key) {
        try {
            if (key instanceof RSAKey) {
                RSAKey rsa = (RSAKey) key;
                if (rsa.size() < VerificationKey.MIN_RSA_KEY_BITS) {
                    return null;
                }
                return SignatureVerifier.of(new RSASSAVerifier(rsa.toRSAPublicKey()));
            }
            if (key instanceof ECKey) {
                return SignatureVerifier.of(new ECDSAVerifier(((ECKey) key).toECPublicKey()));
            }
            if (key instanceof OctetKeyPair && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
                return new Ed25519SignatureVerifier(Ed25519SignatureVerifier.fromRaw(((OctetKeyPair) key).getDecodedX()));
            }
            return null;
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (source instanceof Closeable) {
            ((Closeable) source).close();
        }
    }
}
