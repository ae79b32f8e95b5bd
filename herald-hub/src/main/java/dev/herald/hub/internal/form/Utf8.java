package dev.herald.hub.internal.form;

/**
 * Strict UTF-8 validation (RFC 3629; the byte sequences the WHATWG Encoding standard's UTF-8 decoder
 * accepts without substituting U+FFFD): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no truncated sequence.
 *
 * <p>Stateless and thread-safe.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code bytes[from, to)} is valid UTF-8. */
    static boolean isValid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int needed;
            int lower = 0x80;
            int upper = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                needed = 2;
                if (b == 0xE0) {
                    lower = 0xA0;
                } else if (b == 0xED) {
                    upper = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                needed = 3;
                if (b == 0xF0) {
                    lower = 0x90;
                } else if (b == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                return false;
            }
            if (i + needed >= to) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < lower || second > upper) {
                return false;
            }
            for (int k = 2; k <= needed; k++) {
                int c = bytes[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return false;
                }
            }
            i += needed + 1;
        }
        return true;
    }
}
