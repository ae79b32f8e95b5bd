package dev.herald.client.mercure;

/**
 * The value rules the Mercure helpers share, so that what a hub must refuse is refused before sending.
 * Stateless and thread-safe.
 */
final class Checks {

    private Checks() {
    }

    /** Refuses control characters (C0, DEL, C1) and Unicode format characters (Cf), as the spec does. */
    static void checkText(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.getType(c) == Character.FORMAT) {
                throw new IllegalArgumentException(field + ": control or format character U+"
                        + String.format("%04X", (int) c) + " at index " + i + " (not allowed by Mercure)");
            }
        }
    }

    /** A bearer token (a JWS in compact form) is non-empty visible ASCII; {@code null} means none. */
    static String checkBearerToken(String token) {
        if (token != null && (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new IllegalArgumentException("bearerToken: expected a non-empty token of visible ASCII characters");
        }
        return token;
    }
}
