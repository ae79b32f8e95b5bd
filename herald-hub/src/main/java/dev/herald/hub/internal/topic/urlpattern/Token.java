package dev.herald.hub.internal.topic.urlpattern;

/**
 * A lexical token of a pattern string (URL Pattern Standard §2.1.1 "Tokens"). {@code index} is the
 * code point position of the token in the input; {@code value} its code points (for a name, without
 * the {@code :}; for a regexp, without the parentheses; for an escaped char, without the backslash).
 *
 * <p>Immutable and thread-safe.
 */
record Token(Type type, int index, String value) {

    enum Type {
        OPEN, CLOSE, REGEXP, NAME, CHAR, ESCAPED_CHAR, OTHER_MODIFIER, ASTERISK, END, INVALID_CHAR
    }
}
