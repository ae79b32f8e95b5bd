package dev.herald.hub.internal.topic.uritemplate;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * An RFC 6570 URI Template compiled for matching: whether a string is one the template could
 * expand to. Pre-1.0 Mercure topic selectors are such templates ({@code https://example.com/books/{id}}),
 * and the hubs of that time matched topics against them this way; see the package documentation
 * for the exact semantics.
 *
 * <p>The template is parsed per the RFC 6570 §2 grammar (levels 1 to 4) and translated into one
 * re2j regular expression, so matching runs in time linear in the topic whatever the template. The
 * translation is bounded: at most {@value #MAX_EXPRESSIONS} expressions, {@value #MAX_VARIABLES}
 * variables and {@value #MAX_PROGRAM_SIZE} re2j instructions, beyond which
 * {@link UriTemplateException#limitExceeded()} is thrown.
 *
 * <p>Instances are immutable and thread-safe (re2j patterns are).
 */
public final class UriTemplate {

    /**
     * Most {@code {...}} expressions in one template. Each adds work for every character matched
     * (adjacent expressions whose values overlap keep several matching states alive at once), and
     * pre-1.0 selectors have a handful at most.
     */
    public static final int MAX_EXPRESSIONS = 8;
    /** Most variables, all expressions together. */
    public static final int MAX_VARIABLES = 16;
    /** Upper bound on the compiled program, in re2j instructions (about one per literal character). */
    public static final int MAX_PROGRAM_SIZE = 4_096;

    /** RFC 3986 §2.3 unreserved characters, as a character-class body. */
    private static final String UNRESERVED = "A-Za-z0-9\\-._~";
    /** RFC 3986 §2.2 reserved characters (gen-delims and sub-delims), as a character-class body. */
    private static final String RESERVED = ":/?#\\[\\]@!$&'()*+,;=";
    private static final String PCT_ENCODED = "%[0-9A-Fa-f]{2}";

    private final String source;
    private final Pattern regex;

    private UriTemplate(String source, Pattern regex) {
        this.source = source;
        this.regex = regex;
    }

    /**
     * Parses and compiles {@code template}.
     *
     * @throws UriTemplateException if it is not an RFC 6570 template, or exceeds a bound
     */
    public static UriTemplate compile(String template) throws UriTemplateException {
        requireNonNull(template, "template");
        StringBuilder re = new StringBuilder(template.length() * 2 + 16);
        int expressions = 0;
        int variables = 0;
        int i = 0;
        while (i < template.length()) {
            if (template.charAt(i) != '{') {
                i = literal(template, i, re);
                continue;
            }
            int end = template.indexOf('}', i + 1);
            if (end < 0) {
                throw malformed("expression at index " + i + " is not closed");
            }
            if (++expressions > MAX_EXPRESSIONS) {
                throw tooComplex("more than " + MAX_EXPRESSIONS + " expressions");
            }
            variables += expression(template, i + 1, end, re);
            if (variables > MAX_VARIABLES) {
                throw tooComplex("more than " + MAX_VARIABLES + " variables");
            }
            i = end + 1;
        }
        Pattern regex;
        try {
            regex = Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("URI template translated to an invalid expression", e);
        }
        if (regex.programSize() > MAX_PROGRAM_SIZE) {
            throw tooComplex(regex.programSize() + " instructions (expected: <= " + MAX_PROGRAM_SIZE + ")");
        }
        return new UriTemplate(template, regex);
    }

    /** The template as given. */
    public String source() {
        return source;
    }

    /** Whether the whole of {@code value} is an expansion of this template (see the package documentation). */
    public boolean matches(String value) {
        return regex.matcher(requireNonNull(value, "value")).matches();
    }

    /** The re2j program size, for tests of the bounds. */
    int programSize() {
        return regex.programSize();
    }

    @Override
    public String toString() {
        return "UriTemplate[" + source + "]";
    }

    /**
     * Appends the literal character (or percent-encoded triplet) at {@code i} and returns the index
     * after it. RFC 6570 §2.1: literals are any Unicode character except CTL, SP, {@code " ' % < >
     * \ ^ ` { | }}, with {@code %} only as the start of a percent-encoded triplet.
     */
    private static int literal(String t, int i, StringBuilder re) throws UriTemplateException {
        int cp = t.codePointAt(i);
        if (cp == '%') {
            if (i + 2 >= t.length() || !isHex(t.charAt(i + 1)) || !isHex(t.charAt(i + 2))) {
                throw malformed("'%' at index " + i + " does not start a percent-encoded octet");
            }
            re.append('%').append(t, i + 1, i + 3); // hex digits need no escaping
            return i + 3;
        }
        if (!isLiteral(cp)) {
            throw malformed("character U+" + String.format("%04X", cp) + " at index " + i
                    + " is not allowed outside an expression");
        }
        appendQuoted(re, cp);
        return i + Character.charCount(cp);
    }

    /**
     * Parses the expression between the braces at {@code [from, to)} (RFC 6570 §2.2–2.4), appends its
     * translation and returns its number of variables.
     */
    private static int expression(String t, int from, int to, StringBuilder re) throws UriTemplateException {
        if (from == to) {
            throw malformed("empty expression at index " + (from - 1));
        }
        Operator op = Operator.of(t.charAt(from));
        if (op == null) {
            throw malformed("operator '" + t.charAt(from) + "' at index " + from + " is reserved");
        }
        int p = op == Operator.SIMPLE ? from : from + 1;
        int variables = 0;
        boolean explode = false;
        while (true) {
            p = varname(t, p, to);
            if (p < to && t.charAt(p) == '*') {
                explode = true;
                p++;
            } else if (p < to && t.charAt(p) == ':') {
                p = maxLength(t, p + 1, to);
            }
            variables++;
            if (p == to) {
                break;
            }
            if (t.charAt(p) != ',') {
                throw malformed("unexpected '" + t.charAt(p) + "' at index " + p + " in an expression");
            }
            p++;
        }
        String value = value(op, explode);
        re.append("(?:");
        appendQuoted(re, op.first);
        re.append(value);
        if (variables > 1 || explode) {
            re.append("(?:");
            appendQuoted(re, op.separator);
            re.append(value).append(')');
            re.append(explode ? "*" : "{0," + (variables - 1) + "}");
        }
        re.append(")?");
        return variables;
    }

    /**
     * One variable's expansion: the characters its operator leaves unencoded, percent-encoded
     * octets, {@code ,} (the separator of list items and map pairs), and {@code =} where a
     * {@code name=value} pair can appear (named operators, exploded maps).
     */
    private static String value(Operator op, boolean explode) {
        String allowed = op.allowReserved ? UNRESERVED + RESERVED
                : UNRESERVED + "," + (op.named || explode ? "=" : "");
        return "(?:[" + allowed + "]|" + PCT_ENCODED + ")*";
    }

    /** RFC 6570 §2.3: {@code varchar *( ["."] varchar )}, {@code varchar = ALPHA / DIGIT / "_" / pct-encoded}. */
    private static int varname(String t, int p, int to) throws UriTemplateException {
        int start = p;
        boolean afterDot = true; // a name starts with a varchar, and a dot is followed by one
        while (p < to) {
            char c = t.charAt(p);
            if (isAlnum(c) || c == '_') {
                p++;
            } else if (c == '%' && p + 2 < to && isHex(t.charAt(p + 1)) && isHex(t.charAt(p + 2))) {
                p += 3;
            } else if (c == '.' && !afterDot) {
                p++;
                afterDot = true;
                continue;
            } else {
                break;
            }
            afterDot = false;
        }
        if (p == start || afterDot) {
            throw malformed("invalid variable name at index " + start);
        }
        return p;
    }

    /** RFC 6570 §2.4.1: {@code %x31-39 0*3DIGIT}. Prefix lengths are parsed, not enforced (see the package documentation). */
    private static int maxLength(String t, int p, int to) throws UriTemplateException {
        int start = p;
        if (p == to || t.charAt(p) < '1' || t.charAt(p) > '9') {
            throw malformed("invalid prefix length at index " + start);
        }
        p++;
        while (p < to && p - start < 4 && t.charAt(p) >= '0' && t.charAt(p) <= '9') {
            p++;
        }
        return p;
    }

    /** Appends {@code s} (one or no character) as a regular-expression literal. */
    private static void appendQuoted(StringBuilder re, String s) {
        for (int i = 0; i < s.length(); i++) {
            appendQuoted(re, s.charAt(i));
        }
    }

    private static void appendQuoted(StringBuilder re, int cp) {
        if (cp < 0x80 && !isAlnum((char) cp)) {
            re.append('\\'); // RE2: an escaped ASCII punctuation character is always itself
        }
        re.appendCodePoint(cp);
    }

    private static boolean isLiteral(int cp) {
        if (cp < 0x80) {
            return cp > 0x20 && cp < 0x7F && "\"'%<>\\^`{|}".indexOf(cp) < 0;
        }
        return isUcsChar(cp) || isPrivate(cp);
    }

    /** RFC 3987 §2.2 {@code ucschar}. */
    private static boolean isUcsChar(int cp) {
        return (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDCF) || (cp >= 0xFDF0 && cp <= 0xFFEF)
                || (cp >= 0x10000 && cp <= 0xEFFFD && (cp & 0xFFFF) <= 0xFFFD && (cp < 0xE0000 || cp >= 0xE1000));
    }

    /** RFC 3987 §2.2 {@code iprivate}. */
    private static boolean isPrivate(int cp) {
        return (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) || (cp >= 0x100000 && cp <= 0x10FFFD);
    }

    private static boolean isAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    private static UriTemplateException malformed(String reason) {
        return new UriTemplateException("not a URI template: " + reason, false);
    }

    private static UriTemplateException tooComplex(String reason) {
        return new UriTemplateException("URI template too complex: " + reason, true);
    }

    /** The RFC 6570 §3.2.1 expression types (appendix A table). Immutable and thread-safe (an enum). */
    private enum Operator {
        SIMPLE("", ",", false, false),
        RESERVED_EXPANSION("", ",", false, true),
        FRAGMENT("#", ",", false, true),
        LABEL(".", ".", false, false),
        PATH_SEGMENT("/", "/", false, false),
        PATH_PARAMETER(";", ";", true, false),
        QUERY("?", "&", true, false),
        QUERY_CONTINUATION("&", "&", true, false);

        final String first;
        final String separator;
        final boolean named;
        final boolean allowReserved;

        Operator(String first, String separator, boolean named, boolean allowReserved) {
            this.first = first;
            this.separator = separator;
            this.named = named;
            this.allowReserved = allowReserved;
        }

        /** The operator {@code c} introduces, {@link #SIMPLE} when it is none, {@code null} when reserved (§2.2 op-reserve). */
        static Operator of(char c) {
            switch (c) {
                case '+': return RESERVED_EXPANSION;
                case '#': return FRAGMENT;
                case '.': return LABEL;
                case '/': return PATH_SEGMENT;
                case ';': return PATH_PARAMETER;
                case '?': return QUERY;
                case '&': return QUERY_CONTINUATION;
                case '=': case ',': case '!': case '@': case '|': return null;
                default: return SIMPLE;
            }
        }
    }
}
