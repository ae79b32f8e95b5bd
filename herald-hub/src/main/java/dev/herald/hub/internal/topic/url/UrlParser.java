package dev.herald.hub.internal.topic.url;

import dev.herald.hub.internal.topic.url.PercentEncoding.EncodeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The WHATWG URL Standard's basic URL parser (§4.4), without state override, transcribed state by
 * state. Validation errors that are not failures are ignored, as the standard specifies.
 *
 * <p>One instance parses one input; instances are not thread-safe and never escape {@link #parse}.
 */
final class UrlParser {

    private static final int EOF = -1;

    private enum State {
        SCHEME_START, SCHEME, NO_SCHEME, SPECIAL_RELATIVE_OR_AUTHORITY, PATH_OR_AUTHORITY, RELATIVE,
        RELATIVE_SLASH, SPECIAL_AUTHORITY_SLASHES, SPECIAL_AUTHORITY_IGNORE_SLASHES, AUTHORITY, HOST, PORT,
        FILE, FILE_SLASH, FILE_HOST, PATH_START, PATH, OPAQUE_PATH, QUERY, FRAGMENT
    }

    private final int[] in;
    private final WhatwgUrl base;
    private int p;

    private String scheme = "";
    private String username = "";
    private String password = "";
    private String host;
    private int port = -1;
    private List<String> path = new ArrayList<>();
    private StringBuilder opaquePath;
    private String query;
    private StringBuilder fragment;

    private final StringBuilder buffer = new StringBuilder();
    private boolean atSignSeen;
    private boolean insideBrackets;
    private boolean passwordTokenSeen;
    private State state = State.SCHEME_START;

    private UrlParser(int[] in, WhatwgUrl base) {
        this.in = in;
        this.base = base;
    }

    /** The parsed URL, or {@code null} on failure. */
    static WhatwgUrl parse(String input, WhatwgUrl base) {
        return new UrlParser(preprocess(input), base).run();
    }

    /**
     * Strips leading and trailing C0 controls and spaces, removes ASCII tabs and newlines, and turns
     * lone surrogates into U+FFFD (a USVString conversion).
     */
    private static int[] preprocess(String input) {
        int start = 0;
        int end = input.length();
        while (start < end && input.charAt(start) <= 0x20) {
            start++;
        }
        while (end > start && input.charAt(end - 1) <= 0x20) {
            end--;
        }
        int[] out = new int[end - start];
        int n = 0;
        for (int i = start; i < end; ) {
            int cp = input.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\t' || cp == '\n' || cp == '\r') {
                continue;
            }
            out[n++] = Character.isSurrogate((char) cp) && cp <= 0xFFFF ? 0xFFFD : cp;
        }
        int[] result = new int[n];
        System.arraycopy(out, 0, result, 0, n);
        return result;
    }

    private int c() {
        return p >= 0 && p < in.length ? in[p] : EOF;
    }

    private int remaining(int offset) {
        int i = p + offset;
        return i >= 0 && i < in.length ? in[i] : EOF;
    }

    private boolean special() {
        return WhatwgUrl.isSpecialScheme(scheme);
    }

    private WhatwgUrl run() {
        while (true) {
            if (!step(c())) {
                return null;
            }
            if (p >= in.length) {
                break;
            }
            p++;
        }
        return new WhatwgUrl(scheme, username, password, host, port, opaquePath == null ? path : null,
                opaquePath == null ? null : opaquePath.toString(), query,
                fragment == null ? null : fragment.toString());
    }

    /** Runs the current state on {@code c}; false on failure. */
    private boolean step(int c) {
        switch (state) {
            case SCHEME_START:
                if (isAsciiAlpha(c)) {
                    buffer.appendCodePoint(Character.toLowerCase(c));
                    state = State.SCHEME;
                } else {
                    state = State.NO_SCHEME;
                    p--;
                }
                return true;
            case SCHEME:
                return scheme(c);
            case NO_SCHEME:
                return noScheme(c);
            case SPECIAL_RELATIVE_OR_AUTHORITY:
                if (c == '/' && remaining(1) == '/') {
                    state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                    p++;
                } else {
                    state = State.RELATIVE;
                    p--;
                }
                return true;
            case PATH_OR_AUTHORITY:
                if (c == '/') {
                    state = State.AUTHORITY;
                } else {
                    state = State.PATH;
                    p--;
                }
                return true;
            case RELATIVE:
                relative(c);
                return true;
            case RELATIVE_SLASH:
                if (special() && (c == '/' || c == '\\')) {
                    state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                } else if (c == '/') {
                    state = State.AUTHORITY;
                } else {
                    username = base.username();
                    password = base.password();
                    host = base.host();
                    port = base.port();
                    state = State.PATH;
                    p--;
                }
                return true;
            case SPECIAL_AUTHORITY_SLASHES:
                if (c == '/' && remaining(1) == '/') {
                    p++;
                } else {
                    p--;
                }
                state = State.SPECIAL_AUTHORITY_IGNORE_SLASHES;
                return true;
            case SPECIAL_AUTHORITY_IGNORE_SLASHES:
                if (c != '/' && c != '\\') {
                    state = State.AUTHORITY;
                    p--;
                }
                return true;
            case AUTHORITY:
                return authority(c);
            case HOST:
                return host(c);
            case PORT:
                return port(c);
            case FILE:
                file(c);
                return true;
            case FILE_SLASH:
                fileSlash(c);
                return true;
            case FILE_HOST:
                return fileHost(c);
            case PATH_START:
                pathStart(c);
                return true;
            case PATH:
                path(c);
                return true;
            case OPAQUE_PATH:
                opaquePath(c);
                return true;
            case QUERY:
                query(c);
                return true;
            case FRAGMENT:
                if (c != EOF) {
                    PercentEncoding.append(fragment, c, EncodeSet.FRAGMENT);
                }
                return true;
            default:
                throw new AssertionError(state);
        }
    }

    private boolean scheme(int c) {
        if (isAsciiAlphanumeric(c) || c == '+' || c == '-' || c == '.') {
            buffer.appendCodePoint(Character.toLowerCase(c));
            return true;
        }
        if (c == ':') {
            scheme = buffer.toString();
            buffer.setLength(0);
            if (scheme.equals("file")) {
                state = State.FILE;
            } else if (special() && base != null && base.scheme().equals(scheme)) {
                state = State.SPECIAL_RELATIVE_OR_AUTHORITY;
            } else if (special()) {
                state = State.SPECIAL_AUTHORITY_SLASHES;
            } else if (remaining(1) == '/') {
                state = State.PATH_OR_AUTHORITY;
                p++;
            } else {
                opaquePath = new StringBuilder();
                state = State.OPAQUE_PATH;
            }
            return true;
        }
        buffer.setLength(0);
        state = State.NO_SCHEME;
        p = -1;
        return true;
    }

    private boolean noScheme(int c) {
        if (base == null || (base.hasOpaquePath() && c != '#')) {
            return false;
        }
        if (base.hasOpaquePath()) {
            scheme = base.scheme();
            opaquePath = new StringBuilder(base.pathname());
            query = base.query();
            fragment = new StringBuilder();
            state = State.FRAGMENT;
        } else if (!base.scheme().equals("file")) {
            state = State.RELATIVE;
            p--;
        } else {
            state = State.FILE;
            p--;
        }
        return true;
    }

    private void relative(int c) {
        scheme = base.scheme();
        if (c == '/') {
            state = State.RELATIVE_SLASH;
        } else if (special() && c == '\\') {
            state = State.RELATIVE_SLASH;
        } else {
            username = base.username();
            password = base.password();
            host = base.host();
            port = base.port();
            path = new ArrayList<>(base.pathSegments());
            query = base.query();
            if (c == '?') {
                query = "";
                state = State.QUERY;
            } else if (c == '#') {
                fragment = new StringBuilder();
                state = State.FRAGMENT;
            } else if (c != EOF) {
                query = null;
                shortenPath();
                state = State.PATH;
                p--;
            }
        }
    }

    private boolean authority(int c) {
        if (c == '@') {
            if (atSignSeen) {
                buffer.insert(0, "%40");
            }
            atSignSeen = true;
            StringBuilder user = new StringBuilder(username);
            StringBuilder pass = new StringBuilder(password);
            buffer.codePoints().forEach(cp -> {
                if (cp == ':' && !passwordTokenSeen) {
                    passwordTokenSeen = true;
                    return;
                }
                PercentEncoding.append(passwordTokenSeen ? pass : user, cp, EncodeSet.USERINFO);
            });
            username = user.toString();
            password = pass.toString();
            buffer.setLength(0);
        } else if (c == EOF || c == '/' || c == '?' || c == '#' || (special() && c == '\\')) {
            if (atSignSeen && buffer.length() == 0) {
                return false;
            }
            p -= buffer.codePointCount(0, buffer.length()) + 1;
            buffer.setLength(0);
            state = State.HOST;
        } else {
            buffer.appendCodePoint(c);
        }
        return true;
    }

    private boolean host(int c) {
        if (c == ':' && !insideBrackets) {
            if (buffer.length() == 0) {
                return false;
            }
            String parsed = HostParser.parse(buffer.toString(), !special());
            if (parsed == null) {
                return false;
            }
            host = parsed;
            buffer.setLength(0);
            state = State.PORT;
        } else if (c == EOF || c == '/' || c == '?' || c == '#' || (special() && c == '\\')) {
            p--;
            if (special() && buffer.length() == 0) {
                return false;
            }
            String parsed = HostParser.parse(buffer.toString(), !special());
            if (parsed == null) {
                return false;
            }
            host = parsed;
            buffer.setLength(0);
            state = State.PATH_START;
        } else {
            if (c == '[') {
                insideBrackets = true;
            } else if (c == ']') {
                insideBrackets = false;
            }
            buffer.appendCodePoint(c);
        }
        return true;
    }

    private boolean port(int c) {
        if (c >= '0' && c <= '9') {
            buffer.appendCodePoint(c);
            return true;
        }
        if (c == EOF || c == '/' || c == '?' || c == '#' || (special() && c == '\\')) {
            if (buffer.length() != 0) {
                int value = 0;
                for (int i = 0; i < buffer.length(); i++) {
                    value = Math.min(value * 10 + (buffer.charAt(i) - '0'), 65536);
                }
                if (value > 65535) {
                    return false;
                }
                port = value == WhatwgUrl.defaultPort(scheme) ? -1 : value;
                buffer.setLength(0);
            }
            state = State.PATH_START;
            p--;
            return true;
        }
        return false;
    }

    private void file(int c) {
        scheme = "file";
        host = "";
        if (c == '/' || c == '\\') {
            state = State.FILE_SLASH;
        } else if (base != null && base.scheme().equals("file")) {
            host = base.host();
            path = new ArrayList<>(base.pathSegments());
            query = base.query();
            if (c == '?') {
                query = "";
                state = State.QUERY;
            } else if (c == '#') {
                fragment = new StringBuilder();
                state = State.FRAGMENT;
            } else if (c != EOF) {
                query = null;
                if (!startsWithWindowsDriveLetter(p)) {
                    shortenPath();
                } else {
                    path = new ArrayList<>();
                }
                state = State.PATH;
                p--;
            }
        } else {
            state = State.PATH;
            p--;
        }
    }

    private void fileSlash(int c) {
        if (c == '/' || c == '\\') {
            state = State.FILE_HOST;
            return;
        }
        if (base != null && base.scheme().equals("file")) {
            host = base.host();
            if (!startsWithWindowsDriveLetter(p) && !base.pathSegments().isEmpty()
                    && isNormalizedWindowsDriveLetter(base.pathSegments().get(0))) {
                path.add(base.pathSegments().get(0));
            }
        }
        state = State.PATH;
        p--;
    }

    private boolean fileHost(int c) {
        if (c == EOF || c == '/' || c == '\\' || c == '?' || c == '#') {
            p--;
            if (isWindowsDriveLetter(buffer.toString())) {
                state = State.PATH;
            } else if (buffer.length() == 0) {
                host = "";
                state = State.PATH_START;
            } else {
                String parsed = HostParser.parse(buffer.toString(), false);
                if (parsed == null) {
                    return false;
                }
                host = parsed.equals("localhost") ? "" : parsed;
                buffer.setLength(0);
                state = State.PATH_START;
            }
        } else {
            buffer.appendCodePoint(c);
        }
        return true;
    }

    private void pathStart(int c) {
        if (special()) {
            state = State.PATH;
            if (c != '/' && c != '\\') {
                p--;
            }
        } else if (c == '?') {
            query = "";
            state = State.QUERY;
        } else if (c == '#') {
            fragment = new StringBuilder();
            state = State.FRAGMENT;
        } else if (c != EOF) {
            state = State.PATH;
            if (c != '/') {
                p--;
            }
        }
    }

    private void path(int c) {
        boolean slash = c == '/' || (special() && c == '\\');
        if (c == EOF || slash || c == '?' || c == '#') {
            String segment = buffer.toString();
            if (isDoubleDotSegment(segment)) {
                shortenPath();
                if (!slash) {
                    path.add("");
                }
            } else if (isSingleDotSegment(segment) && !slash) {
                path.add("");
            } else if (!isSingleDotSegment(segment)) {
                if (scheme.equals("file") && path.isEmpty() && isWindowsDriveLetter(segment)) {
                    segment = segment.charAt(0) + ":" + segment.substring(2);
                }
                path.add(segment);
            }
            buffer.setLength(0);
            if (c == '?') {
                query = "";
                state = State.QUERY;
            } else if (c == '#') {
                fragment = new StringBuilder();
                state = State.FRAGMENT;
            }
        } else {
            PercentEncoding.append(buffer, c, EncodeSet.PATH);
        }
    }

    private void opaquePath(int c) {
        if (c == '?') {
            query = "";
            state = State.QUERY;
        } else if (c == '#') {
            fragment = new StringBuilder();
            state = State.FRAGMENT;
        } else if (c == ' ') {
            int next = remaining(1);
            opaquePath.append((next == '?' || next == '#') ? "%20" : " ");
        } else if (c != EOF) {
            PercentEncoding.append(opaquePath, c, EncodeSet.C0_CONTROL);
        }
    }

    private void query(int c) {
        if (c == '#' || c == EOF) {
            EncodeSet set = special() ? EncodeSet.SPECIAL_QUERY : EncodeSet.QUERY;
            StringBuilder out = new StringBuilder(query);
            buffer.codePoints().forEach(cp -> PercentEncoding.append(out, cp, set));
            query = out.toString();
            buffer.setLength(0);
            if (c == '#') {
                fragment = new StringBuilder();
                state = State.FRAGMENT;
            }
        } else {
            buffer.appendCodePoint(c);
        }
    }

    private void shortenPath() {
        if (scheme.equals("file") && path.size() == 1 && isNormalizedWindowsDriveLetter(path.get(0))) {
            return;
        }
        if (!path.isEmpty()) {
            path.remove(path.size() - 1);
        }
    }

    private boolean startsWithWindowsDriveLetter(int from) {
        if (from + 1 >= in.length) {
            return false;
        }
        if (!isAsciiAlpha(in[from]) || (in[from + 1] != ':' && in[from + 1] != '|')) {
            return false;
        }
        if (from + 2 == in.length) {
            return true;
        }
        int third = in[from + 2];
        return third == '/' || third == '\\' || third == '?' || third == '#';
    }

    static boolean isSingleDotSegment(String s) {
        return s.equals(".") || s.equalsIgnoreCase("%2e");
    }

    static boolean isDoubleDotSegment(String s) {
        return s.equals("..") || s.equalsIgnoreCase(".%2e") || s.equalsIgnoreCase("%2e.")
                || s.equalsIgnoreCase("%2e%2e");
    }

    private static boolean isWindowsDriveLetter(String s) {
        return s.length() == 2 && isAsciiAlpha(s.charAt(0)) && (s.charAt(1) == ':' || s.charAt(1) == '|');
    }

    private static boolean isNormalizedWindowsDriveLetter(String s) {
        return s.length() == 2 && isAsciiAlpha(s.charAt(0)) && s.charAt(1) == ':';
    }

    private static boolean isAsciiAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiAlphanumeric(int c) {
        return isAsciiAlpha(c) || (c >= '0' && c <= '9');
    }
}
