package dev.herald.hub.internal.auth;

/**
 * Renders untrusted, token-derived values (an {@code alg}, a {@code kid}, an {@code iss}) safely for
 * log-oriented reasons: printable ASCII only, bounded length. Never used on the token itself.
 *
 * <p>Stateless and thread-safe.
 */
final class Excerpt {

    static final int MAX_LENGTH = 64;

    private Excerpt() {
    }

    /** {@code value} quoted, with non-printable or non-ASCII characters as {@code ?}, cut to {@link #MAX_LENGTH}. */
    static String of(String value) {
        if (value == null) {
            return "null";
        }
        int length = Math.min(value.length(), MAX_LENGTH);
        StringBuilder out = new StringBuilder(length + 5).append('"');
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '?');
        }
        if (value.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
