package dev.herald.hub.internal.server;

/**
 * Makes client-supplied text safe to echo in an error message or a log line: short, and with
 * control characters escaped so nothing can forge extra lines. Stateless and thread-safe.
 */
final class Sanitize {

    static final int MAX_EXCERPT = 80;

    private Sanitize() {
    }

    static String excerpt(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_EXCERPT) + 8);
        for (int i = 0; i < s.length() && b.length() < MAX_EXCERPT; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        if (b.length() >= MAX_EXCERPT) {
            b.append('…');
        }
        return b.toString();
    }
}
