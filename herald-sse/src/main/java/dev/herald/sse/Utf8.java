package dev.herald.sse;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding exactly as the WHATWG Encoding standard's "UTF-8 decode" (§4.1 UTF-8 decoder),
 * which the event-stream rules require: each maximal invalid subpart becomes one U+FFFD. The JDK's
 * decoder agrees on valid input but not on every invalid one (it turns an encoded surrogate
 * {@code ED A0 80} into one U+FFFD where the standard wants three), so invalid input is decoded here.
 *
 * <p>Stateless and thread-safe.
 */
final class Utf8 {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /** Decodes {@code bytes[from, to)}; a sequence cut off at {@code to} becomes U+FFFD. */
    static String decode(byte[] bytes, int from, int to) {
        // Valid UTF-8 has one decoding, so the JDK's is right for it, and fast: its ASCII check is
        // vectorised and ASCII or Latin-1 text becomes a compact string by a copy. Invalid input
        // always leaves a U+FFFD in the JDK's result, and so may valid input spelling U+FFFD itself;
        // only then is the input decoded again here, by the standard's rules. On a compact
        // (Latin-1) string, looking for U+FFFD costs nothing: it cannot be there.
        String jdk = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        if (jdk.indexOf(REPLACEMENT) < 0) {
            return jdk;
        }
        return decodeWithReplacement(bytes, from, to);
    }

    private static String decodeWithReplacement(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int codePoint = 0;
        int seen = 0;
        int needed = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (needed == 0) {
                i++;
                if (b < 0x80) {
                    out.append((char) b);
                } else if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    if (b == 0xE0) {
                        lower = 0xA0;
                    } else if (b == 0xED) {
                        upper = 0x9F;
                    }
                    needed = 2;
                    codePoint = b & 0x0F;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    if (b == 0xF0) {
                        lower = 0x90;
                    } else if (b == 0xF4) {
                        upper = 0x8F;
                    }
                    needed = 3;
                    codePoint = b & 0x07;
                } else {
                    out.append(REPLACEMENT);
                }
                continue;
            }
            if (b < lower || b > upper) {
                // the sequence so far is one maximal invalid subpart; this byte starts afresh
                codePoint = 0;
                needed = 0;
                seen = 0;
                lower = 0x80;
                upper = 0xBF;
                out.append(REPLACEMENT);
                continue;
            }
            i++;
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (++seen == needed) {
                out.appendCodePoint(codePoint);
                codePoint = 0;
                needed = 0;
                seen = 0;
            }
        }
        if (needed != 0) {
            out.append(REPLACEMENT);
        }
        return out.toString();
    }
}
