package dev.herald.hub.internal.topic.urlpattern;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates the ECMAScript regular expression of a custom {@code (...)} group, which the URL Pattern
 * Standard compiles with the {@code v} flag (and never {@code i}), into equivalent RE2 syntax for
 * re2j's linear-time engine (Mercure §"URL Pattern", §"URL-Pattern Denial of Service").
 *
 * <p>Supported: alternation; groups {@code (?:...)} and {@code (?<name>...)} (emitted as
 * non-capturing: only whether a topic matches matters); quantifiers {@code * + ? {n} {n,} {n,m}},
 * greedy or lazy; {@code ^ $ \b \B}; {@code .} (excluding line terminators, as without the
 * {@code s} flag); {@code \d \D \w \W \s \S} with ECMAScript's sets; the character escapes
 * {@code \f \n \r \t \v \0 \cX \xHH \\uHHHH \\u{H...}} and identity escapes of syntax characters and
 * {@code /}; {@code v}-mode classes with ranges, nested classes, {@code &&} intersection and
 * {@code --} subtraction, computed here as plain ranges.
 *
 * <p>Rejected with {@link UrlPatternException}, because RE2 cannot run them in linear time or this
 * translation does not cover them: lookahead and lookbehind, backreferences ({@code \1},
 * {@code \k<name>}), Unicode property escapes ({@code \p{...}}), class string disjunctions
 * ({@code \q{...}}), pattern modifiers ({@code (?i:...)}), duplicate group names, escapes of lone
 * surrogates; also anything {@code v}-mode ECMAScript rejects (lone {@code ] { }}, {@code \m},
 * {@code [a-]}, reserved double punctuators such as {@code [a&&&b]}), nesting deeper than
 * {@value #MAX_NESTING}, and nested repetition counts whose product exceeds {@value #MAX_REPEAT}
 * (RE2's own limit).
 *
 * <p>One instance translates one source; not thread-safe, never escapes {@link #translate}.
 */
final class RegexTranslator {

    static final int MAX_NESTING = 32;
    static final int MAX_REPEAT = 1000;

    private static final String SYNTAX_CHARACTERS = "^$\\.*+?()[]{}|";
    private static final String CLASS_SYNTAX_CHARACTERS = "()[]{}/-\\|";
    private static final String CLASS_RESERVED_PUNCTUATORS = "&-!#%,:;<=>@`~";
    private static final String CLASS_DOUBLE_PUNCTUATORS = "&!#$%*+,.:;<=>?@^`~";

    private final String src;
    private final Set<String> groupNames = new HashSet<>();
    private int pos;

    private RegexTranslator(String src) {
        this.src = src;
    }

    /** The RE2 translation of the ECMAScript source {@code source}. */
    static String translate(String source) throws UrlPatternException {
        RegexTranslator translator = new RegexTranslator(source);
        StringBuilder out = new StringBuilder(source.length() * 2);
        translator.disjunction(out, 0);
        if (translator.pos < source.length()) {
            throw translator.error("unbalanced ')'");
        }
        return out.toString();
    }

    private int peek() {
        return pos < src.length() ? src.charAt(pos) : -1;
    }

    private int peek(int offset) {
        return pos + offset < src.length() ? src.charAt(pos + offset) : -1;
    }

    private boolean startsWith(String s) {
        return src.startsWith(s, pos);
    }

    private UrlPatternException error(String what) {
        return new UrlPatternException("invalid regular expression: " + what);
    }

    /** Appends the disjunction at {@code pos}; returns the largest nested repetition product in it. */
    private long disjunction(StringBuilder out, int depth) throws UrlPatternException {
        long weight = alternative(out, depth);
        while (peek() == '|') {
            pos++;
            out.append('|');
            weight = Math.max(weight, alternative(out, depth));
        }
        return weight;
    }

    private long alternative(StringBuilder out, int depth) throws UrlPatternException {
        long weight = 1;
        while (peek() != -1 && peek() != '|' && peek() != ')') {
            weight = Math.max(weight, term(out, depth));
        }
        return weight;
    }

    private long term(StringBuilder out, int depth) throws UrlPatternException {
        int c = peek();
        if (c == '^' || c == '$') {
            pos++;
            out.append((char) c);
            rejectQuantifier();
            return 1;
        }
        if (c == '\\' && (peek(1) == 'b' || peek(1) == 'B')) {
            out.append('\\').append((char) peek(1));
            pos += 2;
            rejectQuantifier();
            return 1;
        }
        StringBuilder atom = new StringBuilder();
        long inner = 1;
        if (c == '(') {
            inner = group(atom, depth);
        } else if (c == '[') {
            pos++;
            atom.append(classBody(depth + 1).toRe2());
        } else if (c == '.') {
            pos++;
            atom.append(CharSet.LINE_TERMINATORS.complement().toRe2());
        } else if (c == '\\') {
            pos++;
            atomEscape(atom);
        } else if (c == '*' || c == '+' || c == '?') {
            throw error("nothing to repeat");
        } else if (c == '{' || c == '}' || c == ']') {
            throw error("lone '" + (char) c + "'");
        } else {
            pos++;
            appendLiteral(atom, c);
        }
        return quantified(out, atom, inner);
    }

    private void rejectQuantifier() throws UrlPatternException {
        int c = peek();
        if (c == '*' || c == '+' || c == '?' || c == '{') {
            throw error("nothing to repeat");
        }
    }

    private long quantified(StringBuilder out, StringBuilder atom, long inner) throws UrlPatternException {
        int c = peek();
        String quantifier;
        long factor = 1;
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            quantifier = String.valueOf((char) c);
        } else if (c == '{') {
            pos++;
            long min = digits();
            if (min < 0) {
                throw error("incomplete quantifier");
            }
            long max = min;
            boolean unbounded = false;
            if (peek() == ',') {
                pos++;
                max = digits();
                unbounded = max < 0;
            }
            if (peek() != '}') {
                throw error("incomplete quantifier");
            }
            pos++;
            if (!unbounded && max < min) {
                throw error("numbers out of order in quantifier");
            }
            factor = Math.max(1, unbounded ? min : max);
            if (factor > MAX_REPEAT) {
                throw error("repetition count over " + MAX_REPEAT);
            }
            quantifier = "{" + min + "," + (unbounded ? "" : Long.toString(max)) + "}";
        } else {
            out.append(atom);
            return inner;
        }
        if (peek() == '?') {
            pos++;
            quantifier += "?";
        }
        long weight = inner * factor;
        if (weight > MAX_REPEAT) {
            throw error("nested repetition counts over " + MAX_REPEAT);
        }
        out.append("(?:").append(atom).append(')').append(quantifier);
        return weight;
    }

    /** A decimal number (saturated), or -1 when there is no digit at {@code pos}. */
    private long digits() {
        int start = pos;
        long value = 0;
        while (peek() >= '0' && peek() <= '9') {
            value = Math.min(value * 10 + (peek() - '0'), 1_000_000);
            pos++;
        }
        return pos == start ? -1 : value;
    }

    private long group(StringBuilder out, int depth) throws UrlPatternException {
        if (depth >= MAX_NESTING) {
            throw error("nested deeper than " + MAX_NESTING);
        }
        pos++;
        if (startsWith("?:")) {
            pos += 2;
        } else if (startsWith("?=") || startsWith("?!") || startsWith("?<=") || startsWith("?<!")) {
            throw error("lookaround assertions are not supported");
        } else if (startsWith("?<")) {
            pos += 2;
            int start = pos;
            while (peek() != -1 && peek() != '>') {
                int c = peek();
                boolean valid = c == '$' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (pos > start && c >= '0' && c <= '9');
                if (!valid) {
                    throw error("invalid group name");
                }
                pos++;
            }
            if (peek() != '>' || pos == start) {
                throw error("invalid group name");
            }
            if (!groupNames.add(src.substring(start, pos))) {
                throw error("duplicate group name");
            }
            pos++;
        } else if (peek() == '?') {
            throw error("unsupported group syntax '(?" + (peek(1) == -1 ? "" : String.valueOf((char) peek(1))) + "'");
        }
        out.append("(?:");
        long weight = disjunction(out, depth + 1);
        if (peek() != ')') {
            throw error("unterminated group");
        }
        pos++;
        out.append(')');
        return weight;
    }

    private void atomEscape(StringBuilder out) throws UrlPatternException {
        if (peek() == -1) {
            throw error("trailing '\\'");
        }
        int c = src.charAt(pos++);
        CharSet set = classEscape(c);
        if (set != null) {
            out.append(set.toRe2());
            return;
        }
        if (c == 'k' || (c >= '1' && c <= '9')) {
            throw error("backreferences are not supported");
        }
        appendLiteral(out, characterEscape(c, false));
    }

    /** The set of {@code \d \D \w \W \s \S}, or null; rejects {@code \p \P}. */
    private CharSet classEscape(int c) throws UrlPatternException {
        switch (c) {
            case 'd':
                return CharSet.DIGITS;
            case 'D':
                return CharSet.DIGITS.complement();
            case 'w':
                return CharSet.WORD;
            case 'W':
                return CharSet.WORD.complement();
            case 's':
                return CharSet.WHITESPACE;
            case 'S':
                return CharSet.WHITESPACE.complement();
            case 'p':
            case 'P':
                throw error("Unicode property escapes are not supported");
            default:
                return null;
        }
    }

    /** The code point of the character escape {@code \c...} ({@code c} already consumed). */
    private int characterEscape(int c, boolean inClass) throws UrlPatternException {
        switch (c) {
            case 'f':
                return 0x0C;
            case 'n':
                return 0x0A;
            case 'r':
                return 0x0D;
            case 't':
                return 0x09;
            case 'v':
                return 0x0B;
            case 'c': {
                int letter = peek();
                if (!((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z'))) {
                    throw error("invalid control escape");
                }
                pos++;
                return letter % 32;
            }
            case '0':
                if (peek() >= '0' && peek() <= '9') {
                    throw error("invalid decimal escape");
                }
                return 0;
            case 'x':
                return hex(2, "invalid hex escape");
            case 'u':
                return unicodeEscape();
            default:
                if (SYNTAX_CHARACTERS.indexOf(c) >= 0 || c == '/') {
                    return c;
                }
                if (inClass && CLASS_RESERVED_PUNCTUATORS.indexOf(c) >= 0) {
                    return c;
                }
                throw error("invalid escape '\\" + (char) c + "'");
        }
    }

    private int hex(int count, String what) throws UrlPatternException {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int digit = Character.digit(peek(), 16);
            if (peek() == -1 || digit < 0) {
                throw error(what);
            }
            value = value * 16 + digit;
            pos++;
        }
        return value;
    }

    private int unicodeEscape() throws UrlPatternException {
        int value;
        if (peek() == '{') {
            pos++;
            int start = pos;
            value = 0;
            while (peek() != '}') {
                int digit = Character.digit(peek(), 16);
                if (peek() == -1 || digit < 0) {
                    throw error("invalid Unicode escape");
                }
                value = Math.min(value * 16 + digit, 0x110000);
                pos++;
            }
            if (pos == start || value > CharSet.MAX_CODE_POINT) {
                throw error("invalid Unicode escape");
            }
            pos++;
        } else {
            value = hex(4, "invalid Unicode escape");
            if (Character.isHighSurrogate((char) value) && startsWith("\\u") && peek(2) != '{') {
                int save = pos;
                pos += 2;
                int low = hex(4, "invalid Unicode escape");
                if (Character.isLowSurrogate((char) low)) {
                    return Character.toCodePoint((char) value, (char) low);
                }
                pos = save;
            }
        }
        if (value >= 0xD800 && value <= 0xDFFF) {
            throw error("lone surrogates are not supported");
        }
        return value;
    }

    private CharSet classBody(int depth) throws UrlPatternException {
        if (depth > MAX_NESTING) {
            throw error("nested deeper than " + MAX_NESTING);
        }
        boolean negate = false;
        if (peek() == '^') {
            negate = true;
            pos++;
        }
        CharSet set = classContents(depth);
        if (peek() != ']') {
            throw error(peek() == -1 ? "unterminated character class" : "mixed class set operators");
        }
        pos++;
        return negate ? set.complement() : set;
    }

    private CharSet classContents(int depth) throws UrlPatternException {
        if (peek() == ']') {
            return CharSet.EMPTY;
        }
        Operand first = operand(depth);
        if (startsWith("&&")) {
            CharSet result = first.set;
            while (startsWith("&&")) {
                pos += 2;
                if (peek() == '&') {
                    throw error("'&&&' in a character class");
                }
                result = result.intersect(operand(depth).set);
            }
            return result;
        }
        if (startsWith("--")) {
            CharSet result = first.set;
            while (startsWith("--")) {
                pos += 2;
                result = result.subtract(operand(depth).set);
            }
            return result;
        }
        List<CharSet> items = new ArrayList<>();
        Operand next = first;
        while (true) {
            if (next.codePoint >= 0 && peek() == '-' && peek(1) != '-') {
                pos++;
                Operand high = operand(depth);
                if (high.codePoint < 0) {
                    throw error("invalid character class range");
                }
                if (next.codePoint > high.codePoint) {
                    throw error("character class range out of order");
                }
                items.add(CharSet.of(next.codePoint, high.codePoint));
            } else {
                items.add(next.set);
            }
            if (peek() == ']' || peek() == -1) {
                return CharSet.union(items);
            }
            if (startsWith("&&") || startsWith("--")) {
                throw error("mixed class set operators");
            }
            next = operand(depth);
        }
    }

    private Operand operand(int depth) throws UrlPatternException {
        int c = peek();
        if (c == -1) {
            throw error("unterminated character class");
        }
        if (c == '[') {
            pos++;
            return new Operand(classBody(depth + 1), -1);
        }
        if (c == '\\') {
            pos++;
            if (peek() == -1) {
                throw error("trailing '\\'");
            }
            int e = src.charAt(pos++);
            CharSet set = classEscape(e);
            if (set != null) {
                return new Operand(set, -1);
            }
            if (e == 'q') {
                throw error("class string disjunctions are not supported");
            }
            int cp = e == 'b' ? 0x08 : characterEscape(e, true);
            return Operand.of(cp);
        }
        if (peek(1) == c && CLASS_DOUBLE_PUNCTUATORS.indexOf(c) >= 0) {
            throw error("reserved double punctuator in a character class");
        }
        if (CLASS_SYNTAX_CHARACTERS.indexOf(c) >= 0) {
            throw error("unescaped '" + (char) c + "' in a character class");
        }
        pos++;
        return Operand.of(c);
    }

    private static void appendLiteral(StringBuilder out, int cp) {
        if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
            out.append((char) cp);
        } else {
            CharSet.appendHex(out, cp);
        }
    }

    /** A class set operand: a set, and its single code point when it is one character (else -1). */
    private static final class Operand {
        final CharSet set;
        final int codePoint;

        Operand(CharSet set, int codePoint) {
            this.set = set;
            this.codePoint = codePoint;
        }

        static Operand of(int cp) {
            return new Operand(CharSet.of(cp, cp), cp);
        }
    }
}
