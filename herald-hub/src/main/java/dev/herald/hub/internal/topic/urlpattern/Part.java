package dev.herald.hub.internal.topic.urlpattern;

/**
 * One piece of a parsed pattern string (URL Pattern Standard §2.1.3 "Parts"): fixed text, or one
 * matching group with its optional prefix, suffix and modifier. For {@code REGEXP} parts
 * {@code value} is the ECMAScript regular expression source; for fixed text it is the canonicalized
 * text; for wildcards it is empty. Prefix and suffix are canonicalized fixed text.
 *
 * <p>Immutable and thread-safe.
 */
record Part(Type type, String value, Modifier modifier, String name, String prefix, String suffix) {

    enum Type {
        FIXED_TEXT, REGEXP, SEGMENT_WILDCARD, FULL_WILDCARD
    }

    enum Modifier {
        NONE(""), OPTIONAL("?"), ZERO_OR_MORE("*"), ONE_OR_MORE("+");

        private final String symbol;

        Modifier(String symbol) {
            this.symbol = symbol;
        }

        /** The modifier as written in a pattern and in a regular expression ("convert a modifier to a string"). */
        String symbol() {
            return symbol;
        }
    }
}
