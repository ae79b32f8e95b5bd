package dev.herald.hub.internal.topic.url;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WHATWG URL Standard host parser (§3.5 "Host parsing"): IPv6 literals, opaque hosts of
 * non-special URLs, domains (with "domain to ASCII") and the IPv4 forms a domain ending in a number
 * is read as. Results are host serializations (§3.6), e.g. {@code [::1]}, {@code 127.0.0.1},
 * {@code xn--caf-dma.com}.
 *
 * <p>Domain to ASCII departs from UTS #46 where the JDK lacks it: an ASCII domain is lowercased
 * (the standard's own fast path) and its {@code xn--} labels are checked to decode as Punycode;
 * a non-ASCII domain goes through {@link IDN#toASCII} (IDNA2003), except that the four UTS #46
 * "deviation" characters (U+00DF, U+03C2, U+200C, U+200D), which the two standards map
 * differently, are refused rather than mapped the IDNA2003 way. A refused host makes the URL fail
 * to parse, so it can never match the wrong thing.
 *
 * <p>Stateless and thread-safe.
 */
final class HostParser {

    private HostParser() {
    }

    /** The serialized host, or {@code null} on failure. */
    static String parse(String input, boolean isOpaque) {
        if (input.startsWith("[")) {
            if (!input.endsWith("]") || input.length() < 2) {
                return null;
            }
            int[] address = parseIpv6(input.substring(1, input.length() - 1));
            return address == null ? null : "[" + serializeIpv6(address) + "]";
        }
        if (isOpaque) {
            return parseOpaque(input);
        }
        if (input.isEmpty()) {
            return null;
        }
        String domain = new String(PercentEncoding.decodeToBytes(input), StandardCharsets.UTF_8);
        String ascii = domainToAscii(domain);
        if (ascii == null || ascii.isEmpty()) {
            return null;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (isForbiddenDomainCodePoint(ascii.charAt(i))) {
                return null;
            }
        }
        if (endsInANumber(ascii)) {
            long ipv4 = parseIpv4(ascii);
            return ipv4 < 0 ? null : serializeIpv4(ipv4);
        }
        return ascii;
    }

    static boolean isForbiddenHostCodePoint(int c) {
        return c == 0 || c == '\t' || c == '\n' || c == '\r' || c == ' ' || c == '#' || c == '/' || c == ':'
                || c == '<' || c == '>' || c == '?' || c == '@' || c == '[' || c == '\\' || c == ']' || c == '^'
                || c == '|';
    }

    static boolean isForbiddenDomainCodePoint(int c) {
        return isForbiddenHostCodePoint(c) || c <= 0x1F || c == '%' || c == 0x7F;
    }

    private static String parseOpaque(String input) {
        for (int i = 0; i < input.length(); i++) {
            if (isForbiddenHostCodePoint(input.charAt(i))) {
                return null;
            }
        }
        return PercentEncoding.encode(input, PercentEncoding.EncodeSet.C0_CONTROL);
    }

    private static String domainToAscii(String domain) {
        boolean ascii = true;
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            String lower = domain.toLowerCase(Locale.ROOT);
            for (String label : split(lower, '.')) {
                if (label.startsWith("xn--") && !isValidPunycodeLabel(label)) {
                    return null;
                }
            }
            return lower;
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (c == '\u00DF' || c == '\u03C2' || c == '\u200C' || c == '\u200D' || c == '\uFFFD') {
                return null;
            }
        }
        try {
            return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isValidPunycodeLabel(String label) {
        if (label.length() <= 4) {
            return false;
        }
        String decoded = IDN.toUnicode(label, IDN.ALLOW_UNASSIGNED);
        // IDN.toUnicode returns its input unchanged when it cannot decode it
        return !decoded.equalsIgnoreCase(label);
    }

    private static List<String> split(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == separator) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    private static boolean endsInANumber(String input) {
        List<String> parts = split(input, '.');
        if (parts.get(parts.size() - 1).isEmpty()) {
            if (parts.size() == 1) {
                return false;
            }
            parts.remove(parts.size() - 1);
        }
        String last = parts.get(parts.size() - 1);
        if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return parseIpv4Number(last) >= 0;
    }

    /** The IPv4 address as an unsigned 32-bit value, or -1 on failure. */
    private static long parseIpv4(String input) {
        List<String> parts = split(input, '.');
        if (parts.get(parts.size() - 1).isEmpty() && parts.size() > 1) {
            parts.remove(parts.size() - 1);
        }
        if (parts.size() > 4) {
            return -1;
        }
        long[] numbers = new long[parts.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = parseIpv4Number(parts.get(i));
            if (numbers[i] < 0) {
                return -1;
            }
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                return -1;
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= (1L << (8 * (5 - numbers.length)))) {
            return -1;
        }
        long ipv4 = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            ipv4 += numbers[i] << (8 * (3 - i));
        }
        return ipv4;
    }

    /** The value (saturated above 2^40), or -1 on failure. */
    private static long parseIpv4Number(String input) {
        if (input.isEmpty()) {
            return -1;
        }
        int radix = 10;
        String digits = input;
        if (digits.length() >= 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
            digits = digits.substring(2);
            radix = 16;
        } else if (digits.length() >= 2 && digits.charAt(0) == '0') {
            digits = digits.substring(1);
            radix = 8;
        }
        if (digits.isEmpty()) {
            return 0;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0 || digits.charAt(i) >= 0x80) {
                return -1;
            }
            value = Math.min(value * radix + d, 1L << 40);
        }
        return value;
    }

    private static String serializeIpv4(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "." + ((address >> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /** The eight 16-bit pieces, or {@code null} on failure (URL Standard "IPv6 parser"). */
    static int[] parseIpv6(String text) {
        int[] input = text.codePoints().toArray();
        int[] address = new int[8];
        int pieceIndex = 0;
        int compress = -1;
        int p = 0;
        if (at(input, p) == ':') {
            if (at(input, p + 1) != ':') {
                return null;
            }
            p += 2;
            pieceIndex++;
            compress = pieceIndex;
        }
        while (at(input, p) != -1) {
            if (pieceIndex == 8) {
                return null;
            }
            if (at(input, p) == ':') {
                if (compress != -1) {
                    return null;
                }
                p++;
                pieceIndex++;
                compress = pieceIndex;
                continue;
            }
            int value = 0;
            int length = 0;
            while (length < 4 && PercentEncoding.hexValue(at(input, p)) >= 0) {
                value = value * 0x10 + PercentEncoding.hexValue(at(input, p));
                p++;
                length++;
            }
            if (at(input, p) == '.') {
                if (length == 0) {
                    return null;
                }
                p -= length;
                if (pieceIndex > 6) {
                    return null;
                }
                int numbersSeen = 0;
                while (at(input, p) != -1) {
                    int ipv4Piece = -1;
                    if (numbersSeen > 0) {
                        if (at(input, p) == '.' && numbersSeen < 4) {
                            p++;
                        } else {
                            return null;
                        }
                    }
                    if (!isDigit(at(input, p))) {
                        return null;
                    }
                    while (isDigit(at(input, p))) {
                        int number = at(input, p) - '0';
                        if (ipv4Piece == -1) {
                            ipv4Piece = number;
                        } else if (ipv4Piece == 0) {
                            return null;
                        } else {
                            ipv4Piece = ipv4Piece * 10 + number;
                        }
                        if (ipv4Piece > 255) {
                            return null;
                        }
                        p++;
                    }
                    address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
                    numbersSeen++;
                    if (numbersSeen == 2 || numbersSeen == 4) {
                        pieceIndex++;
                    }
                }
                if (numbersSeen != 4) {
                    return null;
                }
                break;
            } else if (at(input, p) == ':') {
                p++;
                if (at(input, p) == -1) {
                    return null;
                }
            } else if (at(input, p) != -1) {
                return null;
            }
            address[pieceIndex] = value;
            pieceIndex++;
        }
        if (compress != -1) {
            int swaps = pieceIndex - compress;
            pieceIndex = 7;
            while (pieceIndex != 0 && swaps > 0) {
                int tmp = address[pieceIndex];
                address[pieceIndex] = address[compress + swaps - 1];
                address[compress + swaps - 1] = tmp;
                pieceIndex--;
                swaps--;
            }
        } else if (pieceIndex != 8) {
            return null;
        }
        return address;
    }

    private static String serializeIpv6(int[] address) {
        int compress = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (address[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && address[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestLength = j - i;
                compress = i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        boolean ignore0 = false;
        for (int i = 0; i < 8; i++) {
            if (ignore0 && address[i] == 0) {
                continue;
            }
            ignore0 = false;
            if (compress == i) {
                out.append(i == 0 ? "::" : ":");
                ignore0 = true;
                continue;
            }
            out.append(Integer.toHexString(address[i]));
            if (i != 7) {
                out.append(':');
            }
        }
        return out.toString();
    }

    private static int at(int[] input, int p) {
        return p < input.length ? input[p] : -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
