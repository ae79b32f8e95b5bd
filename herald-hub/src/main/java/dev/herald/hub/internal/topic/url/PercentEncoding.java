package dev.herald.hub.internal.topic.url;

import java.nio.charset.StandardCharsets;

/**
 * The percent-encode sets and the "UTF-8 percent-encode" operation of the WHATWG URL Standard
 * (§1.3 "Percent-encoded bytes"), as used by the URL parser and the URL Pattern canonicalizers.
 *
 * <p>The path set includes U+005E ({@code ^}), as in the current URL Standard (added in 2024).
 *
 * <p>Stateless and thread-safe.
 */
public final class PercentEncoding {

    /** A percent-encode set: which code points are written as {@code %XX} UTF-8 bytes. */
    public enum EncodeSet {
        /** C0 controls and every code point above U+007E. */
        C0_CONTROL,
        /** C0 control set and space, {@code " < > `}. */
        FRAGMENT,
        /** C0 control set and space, {@code " # < >}. */
        QUERY,
        /** Query set and {@code '}; used for the query of special URLs. */
        SPECIAL_QUERY,
        /** Query set and {@code ? ^ ` { }}. */
        PATH,
        /** Path set and {@code / : ; = @ [ \ ] ^ |}. */
        USERINFO;

        /** Whether {@code codePoint} is in this set. */
        public boolean contains(int codePoint) {
            if (codePoint < 0x20 || codePoint > 0x7E) {
                return true;
            }
            switch (this) {
                case C0_CONTROL:
                    return false;
                case FRAGMENT:
                    return codePoint == ' ' || codePoint == '"' || codePoint == '<' || codePoint == '>'
                            || codePoint == '`';
                case QUERY:
                    return isQuery(codePoint);
                case SPECIAL_QUERY:
                    return isQuery(codePoint) || codePoint == '\'';
                case PATH:
                    return isPath(codePoint);
                case USERINFO:
                    return isPath(codePoint) || codePoint == '/' || codePoint == ':' || codePoint == ';'
                            || codePoint == '=' || codePoint == '@' || (codePoint >= '[' && codePoint <= '^')
                            || codePoint == '|';
                default:
                    throw new AssertionError(this);
            }
        }

        private static boolean isQuery(int c) {
            return c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
        }

        private static boolean isPath(int c) {
            return isQuery(c) || c == '?' || c == '^' || c == '`' || c == '{' || c == '}';
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /** Appends {@code codePoint} to {@code out}, UTF-8 percent-encoded if it is in {@code set}. */
    public static void append(StringBuilder out, int codePoint, EncodeSet set) {
        if (!set.contains(codePoint)) {
            out.appendCodePoint(codePoint);
            return;
        }
        byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }

    /** {@code input} with every code point in {@code set} UTF-8 percent-encoded. */
    public static String encode(String input, EncodeSet set) {
        StringBuilder out = new StringBuilder(input.length() + 8);
        input.codePoints().forEach(cp -> append(out, cp, set));
        return out.toString();
    }

    /**
     * The percent-decoding of the UTF-8 encoding of {@code input} (URL Standard "percent-decode a
     * string"): a {@code %} not followed by two ASCII hex digits is kept as is.
     */
    public static byte[] decodeToBytes(String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length];
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && hexValue(bytes[i + 1]) >= 0 && hexValue(bytes[i + 2]) >= 0) {
                out[n++] = (byte) ((hexValue(bytes[i + 1]) << 4) | hexValue(bytes[i + 2]));
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        byte[] result = new byte[n];
        System.arraycopy(out, 0, result, 0, n);
        return result;
    }

    /** The value of an ASCII hex digit, or -1. */
    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
