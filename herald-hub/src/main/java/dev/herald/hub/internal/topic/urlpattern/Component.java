package dev.herald.hub.internal.topic.urlpattern;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.herald.hub.internal.topic.urlpattern.Part.Modifier;
import java.util.List;

/**
 * One compiled component of a URL pattern ("compile a component", URL Pattern Standard §1.4): the
 * part list turned into a regular expression ("generate a regular expression and name list", §2.2)
 * and compiled by re2j, whose matching time is linear in the input (Mercure §"URL-Pattern Denial of
 * Service"). The standard notes implementations may match without a regular expression when there
 * are no custom groups; the two commonest shapes (a lone {@code *}, plain text) are matched directly.
 *
 * <p>Groups are emitted non-capturing: only whether a topic matches is needed, never group values.
 *
 * <p>Immutable and thread-safe (re2j patterns are).
 */
final class Component {

    /**
     * Upper bound on a component's compiled re2j program, in instructions. re2j's NFA does work
     * proportional to program size per input character, so this bounds the cost of one match:
     * measured around 10 ms for a 2,000-character topic against the most adversarial 1,000-instruction
     * program, while realistic patterns compile to under 100 instructions and match in microseconds.
     */
    static final int MAX_PROGRAM_SIZE = 1_000;

    private static final String FULL_WILDCARD_RE2 = CharSet.LINE_TERMINATORS.complement().toRe2() + "*";

    private enum Kind { ANY, LITERAL, REGEX }

    private final Kind kind;
    private final String literal;
    private final Pattern regex;

    private Component(Kind kind, String literal, Pattern regex) {
        this.kind = kind;
        this.literal = literal;
        this.regex = regex;
    }

    /**
     * Compiles {@code patternString} with the component's options and encoding callback; errors name
     * the component ({@code "pathname: ..."}).
     */
    static Component compile(String name, String patternString, Options options,
                             PatternParser.EncodingCallback encoding) throws UrlPatternException {
        try {
            return compile(patternString, options, encoding);
        } catch (UrlPatternException e) {
            throw new UrlPatternException(name + ": " + e.getMessage());
        }
    }

    private static Component compile(String patternString, Options options, PatternParser.EncodingCallback encoding)
            throws UrlPatternException {
        List<Part> parts = PatternParser.parse(patternString, options, encoding);
        if (parts.isEmpty()) {
            return new Component(Kind.LITERAL, "", null);
        }
        if (parts.size() == 1) {
            Part part = parts.get(0);
            if (part.type() == Part.Type.FIXED_TEXT && part.modifier() == Modifier.NONE) {
                return new Component(Kind.LITERAL, part.value(), null);
            }
            if (part.type() == Part.Type.FULL_WILDCARD && part.modifier() == Modifier.NONE
                    && part.prefix().isEmpty() && part.suffix().isEmpty()) {
                return new Component(Kind.ANY, null, null);
            }
        }
        String source = toRe2(parts, options);
        Pattern regex;
        try {
            regex = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
            throw new UrlPatternException("invalid regular expression: " + e.getDescription());
        }
        if (regex.programSize() > MAX_PROGRAM_SIZE) {
            throw new UrlPatternException("too complex: " + regex.programSize() + " instructions (expected: <= "
                    + MAX_PROGRAM_SIZE + ")");
        }
        return new Component(Kind.REGEX, null, regex);
    }

    /** Whether the whole of {@code input} matches this component. */
    boolean matches(String input) {
        switch (kind) {
            case ANY:
                // ".*" without the s flag stops at line terminators; parsed URL components never
                // contain one, but stay exact for any caller
                for (int i = 0; i < input.length(); i++) {
                    char c = input.charAt(i);
                    if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                        return false;
                    }
                }
                return true;
            case LITERAL:
                return literal.equals(input);
            case REGEX:
                return regex.matches(input);
            default:
                throw new AssertionError(kind);
        }
    }

    /** The RE2 source this component matches with, or a description of its fast path (for tests). */
    String describe() {
        switch (kind) {
            case ANY:
                return "<any>";
            case LITERAL:
                return "<literal " + literal + ">";
            default:
                return regex.pattern();
        }
    }

    /**
     * "generate a regular expression and name list" in RE2 syntax. The forms are the standard's, with
     * {@code (?:} in place of capturing {@code (}.
     */
    static String toRe2(List<Part> parts, Options options) throws UrlPatternException {
        StringBuilder result = new StringBuilder("^");
        for (Part part : parts) {
            if (part.type() == Part.Type.FIXED_TEXT) {
                if (part.modifier() == Modifier.NONE) {
                    quote(result, part.value());
                } else {
                    result.append("(?:");
                    quote(result, part.value());
                    result.append(')').append(part.modifier().symbol());
                }
                continue;
            }
            String regexpValue;
            switch (part.type()) {
                case SEGMENT_WILDCARD:
                    regexpValue = segmentWildcard(options);
                    break;
                case FULL_WILDCARD:
                    regexpValue = FULL_WILDCARD_RE2;
                    break;
                default:
                    regexpValue = RegexTranslator.translate(part.value());
                    break;
            }
            boolean repeating = part.modifier() == Modifier.ZERO_OR_MORE || part.modifier() == Modifier.ONE_OR_MORE;
            if (part.prefix().isEmpty() && part.suffix().isEmpty()) {
                if (!repeating) {
                    result.append("(?:").append(regexpValue).append(')').append(part.modifier().symbol());
                } else {
                    result.append("(?:(?:").append(regexpValue).append(')').append(part.modifier().symbol())
                            .append(')');
                }
                continue;
            }
            if (!repeating) {
                result.append("(?:");
                quote(result, part.prefix());
                result.append("(?:").append(regexpValue).append(')');
                quote(result, part.suffix());
                result.append(')').append(part.modifier().symbol());
                continue;
            }
            // (?:<prefix>((?:<value>)(?:<suffix><prefix>(?:<value>))*)<suffix>)?
            result.append("(?:");
            quote(result, part.prefix());
            result.append("(?:(?:").append(regexpValue).append(")(?:");
            quote(result, part.suffix());
            quote(result, part.prefix());
            result.append("(?:").append(regexpValue).append("))*)");
            quote(result, part.suffix());
            result.append(')');
            if (part.modifier() == Modifier.ZERO_OR_MORE) {
                result.append('?');
            }
        }
        return result.append('$').toString();
    }

    private static String segmentWildcard(Options options) {
        if (options.delimiter().isEmpty()) {
            return CharSet.of(0, CharSet.MAX_CODE_POINT).toRe2() + "+?";
        }
        int delimiter = options.delimiter().codePointAt(0);
        return CharSet.of(delimiter, delimiter).complement().toRe2() + "+?";
    }

    private static void quote(StringBuilder out, String text) {
        text.codePoints().forEach(cp -> {
            if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
                out.append((char) cp);
            } else {
                CharSet.appendHex(out, cp);
            }
        });
    }
}
