package dev.herald.hub.internal.topic.urlpattern;

import dev.herald.hub.internal.topic.urlpattern.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The URL Pattern Standard's tokenizer (§2.1.2 "Tokenizing"), transcribed. Under the strict policy a
 * tokenizing error throws; under the lenient policy (used by the constructor string parser) it
 * becomes an {@code invalid-char} token.
 *
 * <p>One instance tokenizes one input; not thread-safe, never escapes {@link #tokenize}.
 */
final class Tokenizer {

    private final int[] input;
    private final boolean strict;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    private Tokenizer(int[] input, boolean strict) {
        this.input = input;
        this.strict = strict;
    }

    /** The token list of {@code input}, ending with an {@code END} token. */
    static List<Token> tokenize(int[] input, boolean strict) throws UrlPatternException {
        return new Tokenizer(input, strict).run();
    }

    private List<Token> run() throws UrlPatternException {
        while (index < input.length) {
            int cp = input[index];
            int next = index + 1;
            if (cp == '*') {
                add(Type.ASTERISK, next, index, 1);
            } else if (cp == '+' || cp == '?') {
                add(Type.OTHER_MODIFIER, next, index, 1);
            } else if (cp == '\\') {
                if (index == input.length - 1) {
                    error(next, index, "trailing '\\'");
                } else {
                    add(Type.ESCAPED_CHAR, next + 1, next, 1);
                }
            } else if (cp == '{') {
                add(Type.OPEN, next, index, 1);
            } else if (cp == '}') {
                add(Type.CLOSE, next, index, 1);
            } else if (cp == ':') {
                name(next);
            } else if (cp == '(') {
                regexp(next);
            } else {
                add(Type.CHAR, next, index, 1);
            }
        }
        add(Type.END, index, index, 0);
        return tokens;
    }

    private void name(int nameStart) throws UrlPatternException {
        int position = nameStart;
        while (position < input.length && isValidNameCodePoint(input[position], position == nameStart)) {
            position++;
        }
        if (position <= nameStart) {
            error(nameStart, index, "':' not followed by a group name");
            return;
        }
        add(Type.NAME, position, nameStart, position - nameStart);
    }

    private void regexp(int regexpStart) throws UrlPatternException {
        int depth = 1;
        int position = regexpStart;
        while (position < input.length) {
            int cp = input[position];
            int next = position + 1;
            if (cp >= 0x80) {
                error(regexpStart, index, "non-ASCII character in a regexp group");
                return;
            }
            if (position == regexpStart && cp == '?') {
                error(regexpStart, index, "regexp group starting with '?'");
                return;
            }
            if (cp == '\\') {
                if (position == input.length - 1) {
                    error(regexpStart, index, "trailing '\\' in a regexp group");
                    return;
                }
                if (input[next] >= 0x80) {
                    error(regexpStart, index, "non-ASCII character in a regexp group");
                    return;
                }
                position = next + 1;
                continue;
            }
            if (cp == ')') {
                depth--;
                if (depth == 0) {
                    position = next;
                    break;
                }
            } else if (cp == '(') {
                depth++;
                if (position == input.length - 1) {
                    error(regexpStart, index, "unterminated regexp group");
                    return;
                }
                if (input[next] != '?') {
                    error(regexpStart, index, "capturing group inside a regexp group");
                    return;
                }
            }
            position = next;
        }
        if (depth != 0) {
            error(regexpStart, index, "unterminated regexp group");
            return;
        }
        int length = position - regexpStart - 1;
        if (length == 0) {
            error(regexpStart, index, "empty regexp group");
            return;
        }
        add(Type.REGEXP, position, regexpStart, length);
    }

    private void add(Type type, int nextPosition, int valuePosition, int valueLength) {
        tokens.add(new Token(type, index, new String(input, valuePosition, valueLength)));
        index = nextPosition;
    }

    private void error(int nextPosition, int valuePosition, String what) throws UrlPatternException {
        if (strict) {
            throw new UrlPatternException(what + " at index " + valuePosition);
        }
        add(Type.INVALID_CHAR, nextPosition, valuePosition, nextPosition - valuePosition);
    }

    /**
     * ECMAScript IdentifierStart / IdentifierPart: ID_Start, ID_Continue, {@code $}, {@code _},
     * U+200C and U+200D.
     */
    static boolean isValidNameCodePoint(int cp, boolean first) {
        if (cp == '$' || cp == '_') {
            return true;
        }
        if (first) {
            return Character.isUnicodeIdentifierStart(cp);
        }
        return cp == 0x200C || cp == 0x200D
                || (Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp));
    }
}
