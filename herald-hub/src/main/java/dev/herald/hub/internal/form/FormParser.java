package dev.herald.hub.internal.form;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The WHATWG URL Standard's {@code application/x-www-form-urlencoded} parser (§5.1), which Mercure
 * requires for subscription query strings and request bodies and for publish bodies
 * (§"Subscription", §"Publication"):
 * <ol>
 *   <li>split the bytes on {@code &} only ({@code ;} is an ordinary byte); skip empty pieces;</li>
 *   <li>split each piece at its first {@code =}; a piece without one is a name with the empty value;</li>
 *   <li>replace {@code +} with a space, then percent-decode: a {@code %} not followed by two hex
 *       digits stays as it is (so {@code %2B} is a literal {@code +});</li>
 *   <li>decode as UTF-8 — where the standard substitutes U+FFFD for invalid bytes, this parser throws
 *       {@link MalformedFormException}: Mercure requires valid UTF-8 and the caller answers 400.</li>
 * </ol>
 *
 * <p>Bounded: inputs over {@code maxBytes} bytes or with more than {@code maxFields} non-empty pieces
 * throw {@link FormLimitException} before anything is decoded. One pass per step, no regular
 * expression: time and memory are linear in the input.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FormParser {

    /** Default bound on the number of fields. */
    public static final int DEFAULT_MAX_FIELDS = 1_000;
    /** Default bound on the input size, in bytes (1 MiB). */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private static final int MAX_QUOTED_NAME_LENGTH = 32;

    private final int maxFields;
    private final int maxBytes;

    private FormParser(int maxFields, int maxBytes) {
        this.maxFields = maxFields;
        this.maxBytes = maxBytes;
    }

    /** A parser with {@link #DEFAULT_MAX_FIELDS} and {@link #DEFAULT_MAX_BYTES}. */
    public static FormParser withDefaults() {
        return of(DEFAULT_MAX_FIELDS, DEFAULT_MAX_BYTES);
    }

    /**
     * A parser refusing inputs with more than {@code maxFields} fields or more than {@code maxBytes}
     * bytes.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public static FormParser of(int maxFields, int maxBytes) {
        if (maxFields <= 0) {
            throw new IllegalArgumentException("maxFields: " + maxFields + " (expected: > 0)");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        return new FormParser(maxFields, maxBytes);
    }

    public int maxFields() {
        return maxFields;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Parses all of {@code input}. */
    public FormData parse(byte[] input) throws FormException {
        return parse(requireNonNull(input, "input"), 0, input.length);
    }

    /** Parses {@code input[offset, offset + length)}. */
    public FormData parse(byte[] input, int offset, int length) throws FormException {
        requireNonNull(input, "input");
        if (offset < 0 || length < 0 || offset > input.length - length) {
            throw new IndexOutOfBoundsException("offset: " + offset + ", length: " + length
                    + " (expected: within " + input.length + " bytes)");
        }
        checkSize(length);
        return parseBytes(input, offset, offset + length);
    }

    /** Parses the remaining bytes of {@code input} without moving its position. */
    public FormData parse(ByteBuffer input) throws FormException {
        requireNonNull(input, "input");
        checkSize(input.remaining());
        if (input.hasArray()) {
            int from = input.arrayOffset() + input.position();
            return parseBytes(input.array(), from, from + input.remaining());
        }
        byte[] bytes = new byte[input.remaining()];
        input.duplicate().get(bytes);
        return parseBytes(bytes, 0, bytes.length);
    }

    /**
     * Parses {@code input} as {@code URLSearchParams} does a string: its UTF-8 encoding. A query
     * string taken from a request target whose bytes were decoded as ISO-8859-1 (as Netty does) must
     * be passed as those bytes instead, or non-ASCII bytes would be encoded twice.
     *
     * @throws MalformedFormException if {@code input} has an unpaired surrogate (not encodable)
     */
    public FormData parse(CharSequence input) throws FormException {
        requireNonNull(input, "input");
        // every char is at least one UTF-8 byte: refuse before encoding anything
        checkSize(input.length());
        byte[] bytes = encodeUtf8(input);
        checkSize(bytes.length);
        return parseBytes(bytes, 0, bytes.length);
    }

    private void checkSize(int length) throws FormLimitException {
        if (length > maxBytes) {
            throw new FormLimitException("too large: " + length + " bytes (expected: <= " + maxBytes + ")");
        }
    }

    private FormData parseBytes(byte[] in, int from, int to) throws FormException {
        int pieces = 0;
        for (int start = from; start <= to; ) {
            int amp = indexOf(in, (byte) '&', start, to);
            if (amp > start) {
                pieces++;
            }
            start = amp + 1;
        }
        if (pieces > maxFields) {
            throw new FormLimitException("too many fields: " + pieces + " (expected: <= " + maxFields + ")");
        }
        List<FormData.Field> fields = new ArrayList<>(pieces);
        byte[] scratch = null;
        int fieldNumber = 0;
        for (int start = from; start <= to; ) {
            int amp = indexOf(in, (byte) '&', start, to);
            if (amp > start) {
                fieldNumber++;
                int eq = indexOf(in, (byte) '=', start, amp);
                if (scratch == null) {
                    scratch = new byte[to - from];
                }
                String name = decode(in, start, eq, scratch);
                if (name == null) {
                    throw new MalformedFormException("invalid UTF-8 in the name of field " + fieldNumber);
                }
                String value = eq < amp ? decode(in, eq + 1, amp, scratch) : "";
                if (value == null) {
                    throw new MalformedFormException("invalid UTF-8 in the value of field " + fieldNumber
                            + quotedName(name));
                }
                fields.add(new FormData.Field(name, value));
            }
            start = amp + 1;
        }
        return FormData.of(fields);
    }

    /** The first index of {@code b} in {@code in[from, to)}, or {@code to}. */
    private static int indexOf(byte[] in, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == b) {
                return i;
            }
        }
        return to;
    }

    /** {@code in[from, to)} with {@code +} as space, percent-decoded, as UTF-8; null if invalid. */
    private static String decode(byte[] in, int from, int to, byte[] scratch) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            byte b = in[i];
            if (b == '%' || b == '+' || b < 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = in[i];
            if (b == '+') {
                scratch[n++] = ' ';
            } else if (b == '%' && i + 2 < to && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                scratch[n++] = (byte) ((hex(in[i + 1]) << 4) | hex(in[i + 2]));
                i += 2;
            } else {
                scratch[n++] = b;
            }
        }
        if (!Utf8.isValid(scratch, 0, n)) {
            return null;
        }
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** " (name)" when the name is short printable ASCII, which is safe to echo; else nothing. */
    private static String quotedName(String name) {
        if (name.isEmpty() || name.length() > MAX_QUOTED_NAME_LENGTH) {
            return "";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return "";
            }
        }
        return " (" + name + ")";
    }

    private static byte[] encodeUtf8(CharSequence s) throws MalformedFormException {
        int length = s.length();
        boolean ascii = true;
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = (byte) s.charAt(i);
            }
            return out;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new MalformedFormException("unpaired surrogate at index " + i);
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
