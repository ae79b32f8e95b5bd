package dev.herald.hub.internal.topic.urlpattern;

import dev.herald.hub.internal.topic.urlpattern.Part.Modifier;
import dev.herald.hub.internal.topic.urlpattern.Token.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * "Parse a pattern string" (URL Pattern Standard §2.1.5), transcribed: turns one component's pattern
 * string into a part list, canonicalizing every piece of fixed text with the component's encoding
 * callback.
 *
 * <p>One instance parses one input; not thread-safe, never escapes {@link #parse}.
 */
final class PatternParser {

    /** An encoding callback (§2.1.5): canonicalizes fixed text, throwing where the standard throws. */
    @FunctionalInterface
    interface EncodingCallback {
        String encode(String value);
    }

    /** The full wildcard regexp value, {@code .*}. */
    static final String FULL_WILDCARD_SOURCE = ".*";

    private final List<Token> tokens;
    private final EncodingCallback encoding;
    private final String segmentWildcard;
    private final Options options;
    private final List<Part> parts = new ArrayList<>();
    private final StringBuilder pendingFixedValue = new StringBuilder();
    private int index;
    private int nextNumericName;

    private PatternParser(List<Token> tokens, Options options, EncodingCallback encoding) {
        this.tokens = tokens;
        this.options = options;
        this.encoding = encoding;
        this.segmentWildcard = options.segmentWildcardSource();
    }

    /** The part list of {@code input}. */
    static List<Part> parse(String input, Options options, EncodingCallback encoding) throws UrlPatternException {
        List<Token> tokens = Tokenizer.tokenize(input.codePoints().toArray(), true);
        return new PatternParser(tokens, options, encoding).run();
    }

    private List<Part> run() throws UrlPatternException {
        while (index < tokens.size()) {
            Token charToken = tryConsume(Type.CHAR);
            Token nameToken = tryConsume(Type.NAME);
            Token regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
            if (nameToken != null || regexpOrWildcard != null) {
                String prefix = charToken == null ? "" : charToken.value();
                if (!prefix.isEmpty() && !prefix.equals(options.prefix())) {
                    pendingFixedValue.append(prefix);
                    prefix = "";
                }
                maybeAddPartFromPendingFixedValue();
                Token modifier = tryConsumeModifier();
                addPart(prefix, nameToken, regexpOrWildcard, "", modifier);
                continue;
            }
            Token fixed = charToken;
            if (fixed == null) {
                fixed = tryConsume(Type.ESCAPED_CHAR);
            }
            if (fixed != null) {
                pendingFixedValue.append(fixed.value());
                continue;
            }
            Token open = tryConsume(Type.OPEN);
            if (open != null) {
                String prefix = consumeText();
                nameToken = tryConsume(Type.NAME);
                regexpOrWildcard = tryConsumeRegexpOrWildcard(nameToken);
                String suffix = consumeText();
                consumeRequired(Type.CLOSE, "unbalanced '{'");
                Token modifier = tryConsumeModifier();
                addPart(prefix, nameToken, regexpOrWildcard, suffix, modifier);
                continue;
            }
            maybeAddPartFromPendingFixedValue();
            consumeRequired(Type.END, "unexpected character");
        }
        return parts;
    }

    private Token tryConsume(Type type) {
        Token next = tokens.get(index);
        if (next.type() != type) {
            return null;
        }
        index++;
        return next;
    }

    private Token tryConsumeModifier() {
        Token token = tryConsume(Type.OTHER_MODIFIER);
        return token != null ? token : tryConsume(Type.ASTERISK);
    }

    private Token tryConsumeRegexpOrWildcard(Token nameToken) {
        Token token = tryConsume(Type.REGEXP);
        if (nameToken == null && token == null) {
            token = tryConsume(Type.ASTERISK);
        }
        return token;
    }

    private void consumeRequired(Type type, String what) throws UrlPatternException {
        Token token = tokens.get(index);
        if (tryConsume(type) == null) {
            throw new UrlPatternException(what + " at index " + token.index());
        }
    }

    private String consumeText() {
        StringBuilder result = new StringBuilder();
        while (true) {
            Token token = tryConsume(Type.CHAR);
            if (token == null) {
                token = tryConsume(Type.ESCAPED_CHAR);
            }
            if (token == null) {
                return result.toString();
            }
            result.append(token.value());
        }
    }

    private void maybeAddPartFromPendingFixedValue() throws UrlPatternException {
        if (pendingFixedValue.length() == 0) {
            return;
        }
        String encoded = encode(pendingFixedValue.toString());
        pendingFixedValue.setLength(0);
        parts.add(new Part(Part.Type.FIXED_TEXT, encoded, Modifier.NONE, "", "", ""));
    }

    private void addPart(String prefix, Token nameToken, Token regexpOrWildcard, String suffix, Token modifierToken)
            throws UrlPatternException {
        Modifier modifier = Modifier.NONE;
        if (modifierToken != null) {
            switch (modifierToken.value()) {
                case "?":
                    modifier = Modifier.OPTIONAL;
                    break;
                case "*":
                    modifier = Modifier.ZERO_OR_MORE;
                    break;
                case "+":
                    modifier = Modifier.ONE_OR_MORE;
                    break;
                default:
                    throw new AssertionError(modifierToken);
            }
        }
        if (nameToken == null && regexpOrWildcard == null && modifier == Modifier.NONE) {
            // a "{foo}" grouping: plain text, merged with its neighbours
            pendingFixedValue.append(prefix);
            return;
        }
        maybeAddPartFromPendingFixedValue();
        if (nameToken == null && regexpOrWildcard == null) {
            // a "{foo}?" grouping: optional (or repeated) fixed text
            if (prefix.isEmpty()) {
                return;
            }
            parts.add(new Part(Part.Type.FIXED_TEXT, encode(prefix), modifier, "", "", ""));
            return;
        }
        String regexpValue;
        if (regexpOrWildcard == null) {
            regexpValue = segmentWildcard;
        } else if (regexpOrWildcard.type() == Type.ASTERISK) {
            regexpValue = FULL_WILDCARD_SOURCE;
        } else {
            regexpValue = regexpOrWildcard.value();
        }
        Part.Type type = Part.Type.REGEXP;
        if (regexpValue.equals(segmentWildcard)) {
            type = Part.Type.SEGMENT_WILDCARD;
            regexpValue = "";
        } else if (regexpValue.equals(FULL_WILDCARD_SOURCE)) {
            type = Part.Type.FULL_WILDCARD;
            regexpValue = "";
        }
        String name;
        if (nameToken != null) {
            name = nameToken.value();
        } else {
            name = Integer.toString(nextNumericName++);
        }
        for (Part part : parts) {
            if (part.name().equals(name)) {
                throw new UrlPatternException("duplicate group name");
            }
        }
        parts.add(new Part(type, regexpValue, modifier, name, encode(prefix), encode(suffix)));
    }

    private String encode(String value) throws UrlPatternException {
        try {
            return encoding.encode(value);
        } catch (IllegalArgumentException e) {
            throw new UrlPatternException(e.getMessage());
        }
    }
}
