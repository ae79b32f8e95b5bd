package dev.herald.hub.internal.topic;

/**
 * Client-supplied text made safe to quote in an error message: at most {@value #MAX_LENGTH}
 * characters, printable ASCII only, anything else written as {@code \}{@code uXXXX}. Error messages
 * travel back to clients and into logs, where raw control or bidirectional characters could forge
 * lines or reorder text.
 *
 * <p>Stateless and thread-safe.
 */
final class Excerpt {

    static final int MAX_LENGTH = 40;

    private Excerpt() {
    }

    static String of(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
        int i = 0;
        for (; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (i < text.length()) {
            out.append("...");
        }
        return out.toString();
    }
}
