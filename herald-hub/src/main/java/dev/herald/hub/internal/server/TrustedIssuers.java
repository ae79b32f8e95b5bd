package dev.herald.hub.internal.server;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.JwtIssuer;
import dev.herald.hub.internal.auth.JwksSettings;
import dev.herald.hub.internal.auth.JwsAlgorithm;
import dev.herald.hub.internal.auth.TrustedIssuer;
import dev.herald.hub.internal.auth.VerificationKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns the public {@link JwtIssuer} configuration into the verifier's {@link TrustedIssuer}
 * (Mercure §"Token Validation"): each key bound to its issuer and to an explicit algorithm
 * allowlist. Stateless and thread-safe.
 */
public final class TrustedIssuers {

    private TrustedIssuers() {
    }

    /**
     * The verifier's view of {@code issuer}.
     *
     * @throws IllegalArgumentException naming the issuer, when a key is unusable
     */
    public static TrustedIssuer toTrusted(JwtIssuer issuer) {
        requireNonNull(issuer, "issuer");
        TrustedIssuer.Builder b = TrustedIssuer.builder(issuer.issuer());
        try {
            for (JwtIssuer.Key key : issuer.keys()) {
                Set<JwsAlgorithm> algorithms = algorithms(key.algorithms());
                switch (key.kind()) {
                    case HMAC_SECRET -> {
                        if (key.material().stripLeading().startsWith("-----BEGIN")) {
                            throw new IllegalArgumentException("PEM text given as an HMAC secret (expected: a public key"
                                    + " as publicKeyPem; a public key is never an HMAC secret)");
                        }
                        byte[] secret = key.material().getBytes(StandardCharsets.UTF_8);
                        b.key(algorithms.isEmpty() ? VerificationKey.ofHmacSecret(secret)
                                : VerificationKey.ofHmacSecret(secret, algorithms));
                    }
                    case PUBLIC_KEY_PEM -> b.key(algorithms.isEmpty() ? VerificationKey.ofPublicKeyPem(key.material())
                            : VerificationKey.ofPublicKeyPem(key.material(), algorithms));
                    case JWKS_URL -> {
                        JwksSettings.Builder jwks = JwksSettings.builder(URI.create(key.material()));
                        if (!algorithms.isEmpty()) {
                            jwks.algorithms(algorithms);
                        }
                        b.jwks(jwks.build());
                    }
                    default -> throw new IllegalArgumentException("unknown key kind " + key.kind());
                }
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JWT issuer " + issuer.issuer() + ": " + e.getMessage(), e);
        }
    }

    private static Set<JwsAlgorithm> algorithms(Set<String> names) {
        Set<JwsAlgorithm> out = EnumSet.noneOf(JwsAlgorithm.class);
        for (String name : names) {
            out.add(JwsAlgorithm.ofJwaName(name));
        }
        return out;
    }
}
