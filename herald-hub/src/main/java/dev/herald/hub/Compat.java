package dev.herald.hub;

import java.util.Locale;
import java.util.Objects;

/**
 * Which earlier protocol a hub also speaks, besides Mercure 1.0 (see {@link Hub.Builder#compat}).
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum Compat {

    /** Mercure 1.0 only (the default). */
    NONE("none"),

    /**
     * Mercure 1.0 and, side by side on the same hub, the pre-standardization protocol still spoken
     * by most deployed clients (Mercure appendix "Changes from Pre-Standardization Deployments"):
     * {@code topic} selectors (URI Templates or plain strings), tokens with the {@code mercure} claim
     * and without {@code typ: at+jwt}, the {@code authorization} query parameter and the
     * {@code mercureAuthorization} cookie, {@code lastEventID}, and the {@code Last-Event-ID}
     * response header. Token signatures are checked as strictly as in 1.0; as the pre-1.0 hubs did,
     * a pre-1.0 token may lack {@code aud}, {@code exp} (it then never expires), and {@code iss} when
     * its role trusts a single issuer (it is then that issuer's, verified with its keys only).
     */
    V0X("0.x");

    private final String label;

    Compat(String label) {
        this.label = label;
    }

    /** The name used on the command line: {@code none} or {@code 0.x}. */
    public String label() {
        return label;
    }

    /**
     * The mode named {@code label} ({@code none} or {@code 0.x}, any case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Compat parse(String label) {
        Objects.requireNonNull(label, "label");
        for (Compat c : values()) {
            if (c.label.equals(label.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("compat: " + label + " (expected: none or 0.x)");
    }
}
