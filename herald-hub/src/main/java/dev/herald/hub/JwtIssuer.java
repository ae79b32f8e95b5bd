package dev.herald.hub;

import static java.util.Objects.requireNonNull;

import dev.herald.hub.internal.server.TrustedIssuers;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A token issuer the hub trusts for one role, with the keys its tokens are verified with
 * (Mercure §"Token Validation": every trusted key belongs to one issuer, and a token is verified
 * only with the keys of its {@code iss}). An issuer is an authorization server (keys usually from
 * its JWK Set) or a self-issuing publisher (an HMAC secret or a public key shared out of band).
 *
 * <pre>{@code
 * Hub.builder()
 *     .publisherIssuer(JwtIssuer.builder("https://app.example.com").publicKeyPem(pem).build())
 *     .subscriberIssuer(JwtIssuer.jwks("https://auth.example.com", URI.create("https://auth.example.com/jwks.json")))
 *     ...
 * }</pre>
 *
 * <p>Each key carries an explicit algorithm allowlist; when none is given it is every algorithm
 * the key type supports (HMAC: the HS algorithms the secret is long enough for; RSA: RS and PS;
 * EC: the one ES algorithm of its curve; Ed25519: EdDSA; a JWK Set: every asymmetric algorithm,
 * never HMAC). {@code none} is never accepted, and a key only ever verifies its own kind of
 * algorithm, so an RSA public key can never be used as an HMAC secret.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows secrets.
 */
public final class JwtIssuer {

    /** What kind of key material a {@link Key} is. */
    public enum KeyKind {
        /** A shared secret, its UTF-8 bytes used as the HMAC key (at least 32 bytes). */
        HMAC_SECRET,
        /** An RSA, EC or Ed25519 public key, or a certificate, in PEM text. */
        PUBLIC_KEY_PEM,
        /** An {@code https} (or loopback {@code http}) URL of a JWK Set, fetched, cached and rotated. */
        JWKS_URL
    }

    /**
     * One key of an issuer: its kind, its material and the JWA algorithm names it may verify
     * (empty: every algorithm of its kind). Immutable and thread-safe.
     */
    public static final class Key {
        private final KeyKind kind;
        private final String material;
        private final Set<String> algorithms;

        Key(KeyKind kind, String material, Set<String> algorithms) {
            this.kind = kind;
            this.material = material;
            this.algorithms = Set.copyOf(algorithms);
        }

        public KeyKind kind() {
            return kind;
        }

        /** The secret, the PEM text or the URL. */
        public String material() {
            return material;
        }

        /** The JWA names ({@code RS256}, {@code ES256}...) allowed, or empty for the kind's defaults. */
        public Set<String> algorithms() {
            return algorithms;
        }

        @Override
        public String toString() {
            String shown = kind == KeyKind.JWKS_URL ? material : kind == KeyKind.HMAC_SECRET ? "(secret)" : "(PEM)";
            return kind + " " + shown + (algorithms.isEmpty() ? "" : " " + algorithms);
        }
    }

    private final String issuer;
    private final List<Key> keys;

    private JwtIssuer(String issuer, List<Key> keys) {
        this.issuer = issuer;
        this.keys = List.copyOf(keys);
    }

    /** A builder for the issuer whose tokens carry {@code iss} equal to {@code issuer}. */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** An issuer whose tokens are signed with the HMAC {@code secret}. */
    public static JwtIssuer hmac(String issuer, String secret) {
        return builder(issuer).hmacSecret(secret).build();
    }

    /** An issuer whose tokens are signed with the private key of {@code pem}. */
    public static JwtIssuer publicKey(String issuer, String pem) {
        return builder(issuer).publicKeyPem(pem).build();
    }

    /** An issuer whose keys are published as a JWK Set at {@code url}. */
    public static JwtIssuer jwks(String issuer, URI url) {
        return builder(issuer).jwksUrl(url).build();
    }

    /** The identifier a token's {@code iss} must equal, byte for byte. */
    public String issuer() {
        return issuer;
    }

    /** The keys, in the order they are tried. */
    public List<Key> keys() {
        return keys;
    }

    /** Whether verifying this issuer's tokens may fetch a JWK Set (and so block). */
    public boolean usesJwks() {
        return keys.stream().anyMatch(k -> k.kind() == KeyKind.JWKS_URL);
    }

    @Override
    public String toString() {
        return "JwtIssuer[" + issuer + ", " + keys + "]";
    }

    /** Builds a {@link JwtIssuer}. Not thread-safe. */
    public static final class Builder {
        private final String issuer;
        private final List<Key> keys = new ArrayList<>();
        private boolean jwks;

        private Builder(String issuer) {
            requireNonNull(issuer, "issuer");
            if (issuer.isEmpty()) {
                throw new IllegalArgumentException("issuer: \"\" (expected: non-empty)");
            }
            this.issuer = issuer;
        }

        /** Adds an HMAC secret (UTF-8, at least 32 bytes), limited to {@code algorithms} if any are given. */
        public Builder hmacSecret(String secret, String... algorithms) {
            return add(KeyKind.HMAC_SECRET, requireNonNull(secret, "secret"), algorithms);
        }

        /** Adds a PEM public key or certificate, limited to {@code algorithms} if any are given. */
        public Builder publicKeyPem(String pem, String... algorithms) {
            return add(KeyKind.PUBLIC_KEY_PEM, requireNonNull(pem, "pem"), algorithms);
        }

        /** Fetches keys from the JWK Set at {@code url} (one per issuer), limited to {@code algorithms} if given. */
        public Builder jwksUrl(URI url, String... algorithms) {
            requireNonNull(url, "url");
            if (jwks) {
                throw new IllegalArgumentException("issuer " + issuer + ": more than one JWK Set URL (expected: at most one)");
            }
            jwks = true;
            return add(KeyKind.JWKS_URL, url.toString(), algorithms);
        }

        private Builder add(KeyKind kind, String material, String... algorithms) {
            Set<String> names = new LinkedHashSet<>();
            for (String a : requireNonNull(algorithms, "algorithms")) {
                names.add(requireNonNull(a, "algorithm"));
            }
            keys.add(new Key(kind, material, names));
            return this;
        }

        /**
         * The issuer, with every key checked now.
         *
         * @throws IllegalArgumentException if there is no key, or a key is unusable (secret too
         *         short, not PEM, RSA under 2048 bits, algorithm unknown or not of the key's kind,
         *         JWK Set URL neither https nor loopback)
         */
        public JwtIssuer build() {
            JwtIssuer built = new JwtIssuer(issuer, keys);
            TrustedIssuers.toTrusted(built); // validates every key, with a message naming the issuer
            return built;
        }
    }
}
