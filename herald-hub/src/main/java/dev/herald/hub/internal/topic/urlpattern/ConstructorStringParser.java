package dev.herald.hub.internal.topic.urlpattern;

import dev.herald.hub.internal.topic.url.ComponentCanonicalizer;
import dev.herald.hub.internal.topic.urlpattern.Token.Type;
import java.util.List;

/**
 * "Parse a constructor string" (URL Pattern Standard §1.5), transcribed: splits a shorthand pattern
 * such as {@code https://example.com/books/:id} into component pattern strings, working on the
 * lenient token list so that pattern syntax ({@code :name}, {@code (...)}, {@code {...}}) is never
 * mistaken for a URL delimiter.
 *
 * <p>One instance parses one input; not thread-safe, never escapes {@link #parse}.
 */
final class ConstructorStringParser {

    private enum State {
        INIT, PROTOCOL, AUTHORITY, USERNAME, PASSWORD, HOSTNAME, PORT, PATHNAME, SEARCH, HASH, DONE
    }

    private final int[] input;
    private final List<Token> tokens;
    private final UrlPatternInit result = new UrlPatternInit();
    private int componentStart;
    private int tokenIndex;
    private int tokenIncrement = 1;
    private int groupDepth;
    private int hostnameIpv6BracketDepth;
    private boolean protocolMatchesSpecialScheme;
    private State state = State.INIT;

    private ConstructorStringParser(int[] input, List<Token> tokens) {
        this.input = input;
        this.tokens = tokens;
    }

    /** The components found in {@code input}; absent ones are {@code null}. */
    static UrlPatternInit parse(String input) throws UrlPatternException {
        int[] codePoints = input.codePoints().toArray();
        return new ConstructorStringParser(codePoints, Tokenizer.tokenize(codePoints, false)).run();
    }

    private UrlPatternInit run() throws UrlPatternException {
        while (tokenIndex < tokens.size()) {
            tokenIncrement = 1;
            if (tokens.get(tokenIndex).type() == Type.END) {
                if (state == State.INIT) {
                    // no protocol terminator: a relative pattern, starting with a hash, search or path
                    rewind();
                    if (isHashPrefix()) {
                        changeState(State.HASH, 1);
                    } else if (isSearchPrefix()) {
                        changeState(State.SEARCH, 1);
                    } else {
                        changeState(State.PATHNAME, 0);
                    }
                    tokenIndex += tokenIncrement;
                    continue;
                }
                if (state == State.AUTHORITY) {
                    // no '@': there is no username or password
                    rewindAndSetState(State.HOSTNAME);
                    tokenIndex += tokenIncrement;
                    continue;
                }
                changeState(State.DONE, 0);
                break;
            }
            if (tokens.get(tokenIndex).type() == Type.OPEN) {
                // component boundaries are never looked for inside "{...}"
                groupDepth++;
                tokenIndex += tokenIncrement;
                continue;
            }
            if (groupDepth > 0) {
                if (tokens.get(tokenIndex).type() == Type.CLOSE) {
                    groupDepth--;
                } else {
                    tokenIndex += tokenIncrement;
                    continue;
                }
            }
            switch (state) {
                case INIT:
                    if (isNonSpecialPatternChar(tokenIndex, ":")) {
                        rewindAndSetState(State.PROTOCOL);
                    }
                    break;
                case PROTOCOL:
                    if (isNonSpecialPatternChar(tokenIndex, ":")) {
                        computeProtocolMatchesSpecialScheme();
                        State next = State.PATHNAME;
                        int skip = 1;
                        if (isNonSpecialPatternChar(tokenIndex + 1, "/") && isNonSpecialPatternChar(tokenIndex + 2, "/")) {
                            next = State.AUTHORITY;
                            skip = 3;
                        } else if (protocolMatchesSpecialScheme) {
                            next = State.AUTHORITY;
                        }
                        changeState(next, skip);
                    }
                    break;
                case AUTHORITY:
                    if (isNonSpecialPatternChar(tokenIndex, "@")) {
                        rewindAndSetState(State.USERNAME);
                    } else if (isNonSpecialPatternChar(tokenIndex, "/") || isSearchPrefix() || isHashPrefix()) {
                        rewindAndSetState(State.HOSTNAME);
                    }
                    break;
                case USERNAME:
                    if (isNonSpecialPatternChar(tokenIndex, ":")) {
                        changeState(State.PASSWORD, 1);
                    } else if (isNonSpecialPatternChar(tokenIndex, "@")) {
                        changeState(State.HOSTNAME, 1);
                    }
                    break;
                case PASSWORD:
                    if (isNonSpecialPatternChar(tokenIndex, "@")) {
                        changeState(State.HOSTNAME, 1);
                    }
                    break;
                case HOSTNAME:
                    if (isNonSpecialPatternChar(tokenIndex, "[")) {
                        hostnameIpv6BracketDepth++;
                    } else if (isNonSpecialPatternChar(tokenIndex, "]")) {
                        hostnameIpv6BracketDepth--;
                    } else if (isNonSpecialPatternChar(tokenIndex, ":") && hostnameIpv6BracketDepth == 0) {
                        changeState(State.PORT, 1);
                    } else if (isNonSpecialPatternChar(tokenIndex, "/")) {
                        changeState(State.PATHNAME, 0);
                    } else if (isSearchPrefix()) {
                        changeState(State.SEARCH, 1);
                    } else if (isHashPrefix()) {
                        changeState(State.HASH, 1);
                    }
                    break;
                case PORT:
                    if (isNonSpecialPatternChar(tokenIndex, "/")) {
                        changeState(State.PATHNAME, 0);
                    } else if (isSearchPrefix()) {
                        changeState(State.SEARCH, 1);
                    } else if (isHashPrefix()) {
                        changeState(State.HASH, 1);
                    }
                    break;
                case PATHNAME:
                    if (isSearchPrefix()) {
                        changeState(State.SEARCH, 1);
                    } else if (isHashPrefix()) {
                        changeState(State.HASH, 1);
                    }
                    break;
                case SEARCH:
                    if (isHashPrefix()) {
                        changeState(State.HASH, 1);
                    }
                    break;
                case HASH:
                    break;
                default:
                    throw new AssertionError(state);
            }
            tokenIndex += tokenIncrement;
        }
        if (result.hostname != null && result.port == null) {
            // an unspecified port means the default port, not any port ("https://*:*" for any)
            result.port = "";
        }
        return result;
    }

    private void changeState(State newState, int skip) {
        if (state != State.INIT && state != State.AUTHORITY && state != State.DONE) {
            result.set(state.name(), makeComponentString());
        }
        if (state != State.INIT && newState != State.DONE) {
            boolean fromAuthorityish = state == State.PROTOCOL || state == State.AUTHORITY || state == State.USERNAME
                    || state == State.PASSWORD;
            boolean toLater = newState == State.PORT || newState == State.PATHNAME || newState == State.SEARCH
                    || newState == State.HASH;
            if (fromAuthorityish && toLater && result.hostname == null) {
                result.hostname = "";
            }
            boolean fromBeforePath = fromAuthorityish || state == State.HOSTNAME || state == State.PORT;
            if (fromBeforePath && (newState == State.SEARCH || newState == State.HASH) && result.pathname == null) {
                result.pathname = protocolMatchesSpecialScheme ? "/" : "";
            }
            if ((fromBeforePath || state == State.PATHNAME) && newState == State.HASH && result.search == null) {
                result.search = "";
            }
        }
        state = newState;
        tokenIndex += skip;
        componentStart = tokenIndex;
        tokenIncrement = 0;
    }

    private void rewind() {
        tokenIndex = componentStart;
        tokenIncrement = 0;
    }

    private void rewindAndSetState(State newState) {
        rewind();
        state = newState;
    }

    private Token safeToken(int index) {
        return index < tokens.size() ? tokens.get(index) : tokens.get(tokens.size() - 1);
    }

    private boolean isNonSpecialPatternChar(int index, String value) {
        Token token = safeToken(index);
        if (!token.value().equals(value)) {
            return false;
        }
        return token.type() == Type.CHAR || token.type() == Type.ESCAPED_CHAR || token.type() == Type.INVALID_CHAR;
    }

    private boolean isSearchPrefix() {
        if (isNonSpecialPatternChar(tokenIndex, "?")) {
            return true;
        }
        if (!tokens.get(tokenIndex).value().equals("?")) {
            return false;
        }
        if (tokenIndex - 1 < 0) {
            return true;
        }
        Type previous = safeToken(tokenIndex - 1).type();
        return previous != Type.NAME && previous != Type.REGEXP && previous != Type.CLOSE && previous != Type.ASTERISK;
    }

    private boolean isHashPrefix() {
        return isNonSpecialPatternChar(tokenIndex, "#");
    }

    private String makeComponentString() {
        Token token = tokens.get(tokenIndex);
        int start = safeToken(componentStart).index();
        int end = token.index();
        return new String(input, start, end - start);
    }

    private void computeProtocolMatchesSpecialScheme() throws UrlPatternException {
        Component protocol = Component.compile("protocol", makeComponentString(), Options.DEFAULT,
                ComponentCanonicalizer::protocol);
        protocolMatchesSpecialScheme = UrlPattern.matchesSpecialScheme(protocol);
    }
}
