package dev.herald.hub.internal.topic.urlpattern;

/**
 * Pattern-string options (URL Pattern Standard §2.1.4): the segment delimiter a {@code :name}
 * stops at, and the prefix code point that becomes optional with its group. Mercure never enables
 * {@code ignoreCase} (§"URL Pattern"), so there is no such option here.
 *
 * <p>Immutable and thread-safe.
 */
enum Options {
    /** Protocol, username, password, port, search, hash, and opaque pathnames. */
    DEFAULT("", ""),
    /** Hostnames: segments delimited by {@code .}. */
    HOSTNAME(".", ""),
    /** Pathnames of special-scheme URLs: segments delimited by {@code /}, {@code /} as automatic prefix. */
    PATHNAME("/", "/");

    private final String delimiter;
    private final String prefix;

    Options(String delimiter, String prefix) {
        this.delimiter = delimiter;
        this.prefix = prefix;
    }

    String delimiter() {
        return delimiter;
    }

    String prefix() {
        return prefix;
    }

    /**
     * The ECMAScript source of the segment wildcard ("generate a segment wildcard regexp"), which a
     * custom {@code (...)} group is compared with to recognise an equivalent {@code :name}.
     */
    String segmentWildcardSource() {
        return "[^" + escapeRegexpString(delimiter) + "]+?";
    }

    /** "escape a regexp string" (ASCII input). */
    static String escapeRegexpString(String input) {
        StringBuilder out = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (".+*?^${}()[]|/\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
