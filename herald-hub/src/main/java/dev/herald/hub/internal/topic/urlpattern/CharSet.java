package dev.herald.hub.internal.topic.urlpattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges. ECMAScript
 * {@code v}-mode character classes support intersection ({@code &&}), subtraction ({@code --}) and
 * nesting, which RE2 does not; computing the classes here and emitting plain ranges keeps the
 * semantics exact.
 *
 * <p>Immutable and thread-safe.
 */
final class CharSet {

    static final int MAX_CODE_POINT = 0x10FFFF;
    static final CharSet EMPTY = new CharSet(new int[0]);
    static final CharSet DIGITS = of('0', '9');
    static final CharSet WORD = union(List.of(of('0', '9'), of('A', 'Z'), of('_', '_'), of('a', 'z')));
    /** ECMAScript WhiteSpace and LineTerminator (ECMA-262 §22.2.2.9 CharacterClassEscape {@code s}). */
    static final CharSet WHITESPACE = union(List.of(of(0x09, 0x0D), of(0x20, 0x20), of(0xA0, 0xA0),
            of(0x1680, 0x1680), of(0x2000, 0x200A), of(0x2028, 0x2029), of(0x202F, 0x202F), of(0x205F, 0x205F),
            of(0x3000, 0x3000), of(0xFEFF, 0xFEFF)));
    /** ECMAScript LineTerminator, which {@code .} excludes without the {@code s} flag. */
    static final CharSet LINE_TERMINATORS = union(List.of(of(0x0A, 0x0A), of(0x0D, 0x0D), of(0x2028, 0x2029)));

    /** Flattened pairs: lo0, hi0, lo1, hi1, ... */
    private final int[] ranges;

    private CharSet(int[] ranges) {
        this.ranges = ranges;
    }

    static CharSet of(int lo, int hi) {
        return new CharSet(new int[] {lo, hi});
    }

    static CharSet union(List<CharSet> sets) {
        List<int[]> all = new ArrayList<>();
        for (CharSet set : sets) {
            for (int i = 0; i < set.ranges.length; i += 2) {
                all.add(new int[] {set.ranges[i], set.ranges[i + 1]});
            }
        }
        all.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] out = new int[all.size() * 2];
        int n = 0;
        for (int[] range : all) {
            if (n > 0 && range[0] <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], range[1]);
            } else {
                out[n++] = range[0];
                out[n++] = range[1];
            }
        }
        return new CharSet(Arrays.copyOf(out, n));
    }

    CharSet union(CharSet other) {
        return union(List.of(this, other));
    }

    CharSet complement() {
        int[] out = new int[ranges.length + 2];
        int n = 0;
        int next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                out[n++] = next;
                out[n++] = ranges[i] - 1;
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX_CODE_POINT) {
            out[n++] = next;
            out[n++] = MAX_CODE_POINT;
        }
        return new CharSet(Arrays.copyOf(out, n));
    }

    CharSet intersect(CharSet other) {
        return complement().union(other.complement()).complement();
    }

    CharSet subtract(CharSet other) {
        return intersect(other.complement());
    }

    boolean isEmpty() {
        return ranges.length == 0;
    }

    boolean contains(int cp) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (cp >= ranges[i] && cp <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** This set as an RE2 character class; the empty set becomes a class that matches nothing. */
    String toRe2() {
        if (ranges.length == 0) {
            return "[^\\x{0}-\\x{10FFFF}]";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < ranges.length; i += 2) {
            appendHex(out, ranges[i]);
            if (ranges[i + 1] != ranges[i]) {
                out.append('-');
                appendHex(out, ranges[i + 1]);
            }
        }
        return out.append(']').toString();
    }

    static void appendHex(StringBuilder out, int cp) {
        out.append("\\x{").append(Integer.toHexString(cp)).append('}');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharSet && Arrays.equals(ranges, ((CharSet) o).ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        return toRe2();
    }
}
