package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A token issuer the hub trusts, bound to its own keys (Mercure §"Token Validation": each trusted
 * key is associated with the issuer identifier it belongs to, and a token is verified only with
 * the keys of its {@code iss}, never a set pooled across issuers). The issuer is an authorization
 * server (its RFC 8414 issuer identifier, keys usually from its JWK Set) or a self-issuing
 * publisher (a stable identifier such as its URL, keys configured out of band).
 *
 * <p>The identifier is compared with a token's {@code iss} byte by byte (RFC 9068 §4).
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedIssuer {

    private final String issuer;
    private final List<VerificationKey> keys;
    private final JwksSettings jwks;

    private TrustedIssuer(Builder builder) {
        this.issuer = builder.issuer;
        this.keys = Collections.unmodifiableList(new ArrayList<>(builder.keys));
        this.jwks = builder.jwks;
    }

    /** An issuer whose tokens are verified with {@code keys} (at least one). */
    public static TrustedIssuer of(String issuer, VerificationKey... keys) {
        Builder builder = builder(issuer);
        for (VerificationKey key : requireNonNull(keys, "keys")) {
            builder.key(key);
        }
        return builder.build();
    }

    /** An issuer whose keys come from a JWK Set. */
    public static TrustedIssuer ofJwks(String issuer, JwksSettings jwks) {
        return builder(issuer).jwks(jwks).build();
    }

    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** The issuer identifier a token's {@code iss} must equal. */
    public String issuer() {
        return issuer;
    }

    /** The statically configured keys, in configuration order (the order they are tried in). */
    public List<VerificationKey> keys() {
        return keys;
    }

    /** The JWK Set the issuer's keys are also fetched from, if any. */
    public Optional<JwksSettings> jwks() {
        return Optional.ofNullable(jwks);
    }

    @Override
    public String toString() {
        return "TrustedIssuer[" + issuer + ", keys=" + keys + (jwks == null ? "" : ", jwks=" + jwks) + "]";
    }

    /** Builds a {@link TrustedIssuer}. Not thread-safe; use from one thread. */
    public static final class Builder {

        /** Bounds the keys tried for one token, so a forged token costs a bounded number of verifications. */
        static final int MAX_KEYS = 16;

        private final String issuer;
        private final List<VerificationKey> keys = new ArrayList<>();
        private JwksSettings jwks;

        private Builder(String issuer) {
            requireNonNull(issuer, "issuer");
            if (issuer.isEmpty()) {
                throw new IllegalArgumentException("issuer: \"\" (expected: non-empty)");
            }
            this.issuer = issuer;
        }

        /** Adds a static key; keys are tried in the order added (after {@code kid} selection). */
        public Builder key(VerificationKey key) {
            requireNonNull(key, "key");
            if (keys.size() == MAX_KEYS) {
                throw new IllegalArgumentException("keys: more than " + MAX_KEYS + " (expected: <= " + MAX_KEYS + ")");
            }
            keys.add(key);
            return this;
        }

        /** Also fetches this issuer's keys from a JWK Set; static keys are tried first. */
        public Builder jwks(JwksSettings jwks) {
            this.jwks = requireNonNull(jwks, "jwks");
            return this;
        }

        /**
         * The issuer.
         *
         * @throws IllegalArgumentException if there is neither a key nor a JWK Set
         */
        public TrustedIssuer build() {
            if (keys.isEmpty() && jwks == null) {
                throw new IllegalArgumentException("issuer " + issuer + ": no key (expected: a key or a JWK Set)");
            }
            return new TrustedIssuer(this);
        }
    }
}
