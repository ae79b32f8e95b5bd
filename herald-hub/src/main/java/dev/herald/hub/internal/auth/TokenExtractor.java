package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Finds the access token in a request's {@code Authorization} and {@code Cookie} header values
 * (Mercure §"Presenting the Access Token"). The RFC 6750 {@code access_token} query parameter is
 * never accepted (RFC 9700 §2.5); the pre-1.0 {@code authorization} parameter, handed over by the
 * caller, only in compatibility mode (below).
 *
 * <ul>
 *   <li>An {@code Authorization} header, when present, is the only source, and any cookie is
 *       ignored rather than the request refused (the specification's deviation from RFC 6750 §2,
 *       since cookies are ambient). It must be exactly {@code Bearer} (any case, RFC 9110 §11.1),
 *       one space, and an RFC 6750 §2.1 {@code b64token}; leading and trailing whitespace of the
 *       field value is not part of it (RFC 9110 §5.5). Anything else, including another scheme or
 *       an empty value, is {@linkplain TokenPresentation.Kind#MALFORMED malformed}.
 *   <li>Without it, the first cookie named as configured, from the {@code Cookie} header
 *       (RFC 6265 §5.4; the user agent puts the most specific cookie first). Its value, with
 *       optional surrounding double quotes (RFC 6265 §4.1.1) removed, must be a {@code b64token};
 *       an empty value counts as no cookie (what a logout that blanks the cookie leaves behind).
 * </ul>
 *
 * If a request carries several {@code Authorization} fields, pass them joined with {@code ", "}
 * (RFC 9110 §5.3); the result is malformed, as it should be. Several {@code Cookie} fields (HTTP/2
 * sends one per cookie) are passed joined with {@code "; "} (RFC 9113 §8.2.3).
 *
 * <p>The pre-1.0 protocol also put the token in the {@code authorization} query parameter and the
 * {@value AuthConfig#LEGACY_COOKIE_NAME} cookie (Mercure appendix "Changes from
 * Pre-Standardization Deployments"). With {@linkplain #withLegacyForms() legacy forms} on: an
 * {@code Authorization} header next to the parameter is malformed (two explicit presentations,
 * RFC 6750 §2); otherwise exactly one parameter value, a {@code b64token}, is the token, and any
 * cookie is ignored; without either, the configured cookie, then the legacy one. With legacy forms
 * off, the parameter alone is malformed (so the client learns that its token is not read, instead
 * of being taken for anonymous) and next to an {@code Authorization} header it is ignored.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenExtractor {

    private static final String BEARER = "Bearer";

    private final String cookieName;
    private final boolean cookieEnabled;
    private final boolean legacy;

    private TokenExtractor(String cookieName, boolean cookieEnabled, boolean legacy) {
        this.cookieName = cookieName;
        this.cookieEnabled = cookieEnabled;
        this.legacy = legacy;
    }

    /** An extractor reading the cookie named {@code cookieName}. */
    public static TokenExtractor ofCookieName(String cookieName) {
        return new TokenExtractor(requireNonNull(cookieName, "cookieName"), true, false);
    }

    /** An extractor that only reads the {@code Authorization} header. */
    public static TokenExtractor ofHeaderOnly() {
        return new TokenExtractor(null, false, false);
    }

    /** The extractor {@code config} describes. */
    public static TokenExtractor of(AuthConfig config) {
        requireNonNull(config, "config");
        TokenExtractor e = config.cookieAuthentication() ? ofCookieName(config.cookieName()) : ofHeaderOnly();
        return config.mercure0x() ? e.withLegacyForms() : e;
    }

    /** This extractor, also reading the pre-1.0 {@code authorization} query parameter and cookie. */
    public TokenExtractor withLegacyForms() {
        return new TokenExtractor(cookieName, cookieEnabled, true);
    }

    /**
     * What the request presented.
     *
     * @param authorizationHeader the {@code Authorization} field value, {@code null} if absent
     * @param cookieHeader the {@code Cookie} field value(s), {@code null} if absent
     */
    public TokenPresentation extract(String authorizationHeader, String cookieHeader) {
        return extract(authorizationHeader, List.of(), cookieHeader);
    }

    /**
     * What the request presented, its {@code authorization} query parameters included.
     *
     * @param authorizationHeader the {@code Authorization} field value, {@code null} if absent
     * @param queryTokens the values of the {@code authorization} query parameter, in order (empty if absent)
     * @param cookieHeader the {@code Cookie} field value(s), {@code null} if absent
     */
    public TokenPresentation extract(String authorizationHeader, List<String> queryTokens, String cookieHeader) {
        requireNonNull(queryTokens, "queryTokens");
        if (authorizationHeader != null) {
            if (legacy && !queryTokens.isEmpty()) {
                return TokenPresentation.ofMalformed(TokenSource.AUTHORIZATION_HEADER,
                        "token in both the Authorization header and the authorization query parameter");
            }
            return fromAuthorization(authorizationHeader);
        }
        if (!queryTokens.isEmpty()) {
            return fromQuery(queryTokens);
        }
        if (cookieEnabled && cookieHeader != null) {
            TokenPresentation cookie = fromCookie(cookieHeader, cookieName);
            if (cookie.kind() == TokenPresentation.Kind.ABSENT && legacy) {
                return fromCookie(cookieHeader, AuthConfig.LEGACY_COOKIE_NAME);
            }
            return cookie;
        }
        return TokenPresentation.ofAbsent();
    }

    private TokenPresentation fromQuery(List<String> values) {
        if (!legacy) {
            return TokenPresentation.ofMalformed(TokenSource.QUERY_PARAMETER, URL_TOKEN_REFUSED);
        }
        if (values.size() > 1) {
            return TokenPresentation.ofMalformed(TokenSource.QUERY_PARAMETER, "several authorization query parameters");
        }
        if (!isB64Token(values.get(0))) {
            return TokenPresentation.ofMalformed(TokenSource.QUERY_PARAMETER,
                    "authorization query parameter is not a b64token");
        }
        return TokenPresentation.ofToken(TokenSource.QUERY_PARAMETER, values.get(0));
    }

    /** The problem of a token in the URL when legacy forms are off; {@link Authorizer} gives it its own answer. */
    static final String URL_TOKEN_REFUSED = "token in the authorization query parameter, which Mercure 1.0 does not accept";

    private static TokenPresentation fromAuthorization(String field) {
        String value = trimOws(field);
        int schemeEnd = BEARER.length();
        if (value.length() <= schemeEnd + 1 || !value.regionMatches(true, 0, BEARER, 0, schemeEnd)
                || value.charAt(schemeEnd) != ' ') {
            return TokenPresentation.ofMalformed(TokenSource.AUTHORIZATION_HEADER,
                    "Authorization is not 'Bearer' followed by one space and a token");
        }
        String token = value.substring(schemeEnd + 1);
        if (!isB64Token(token)) {
            return TokenPresentation.ofMalformed(TokenSource.AUTHORIZATION_HEADER,
                    "Bearer credentials are not a single b64token");
        }
        return TokenPresentation.ofToken(TokenSource.AUTHORIZATION_HEADER, token);
    }

    private static TokenPresentation fromCookie(String header, String cookieName) {
        int length = header.length();
        int start = 0;
        while (start < length) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            int nameFrom = skipOws(header, start, end);
            int eq = header.indexOf('=', nameFrom);
            if (eq >= 0 && eq < end && trimmedEnd(header, nameFrom, eq) - nameFrom == cookieName.length()
                    && header.startsWith(cookieName, nameFrom)) {
                int valueFrom = skipOws(header, eq + 1, end);
                int valueTo = trimmedEnd(header, valueFrom, end);
                if (valueTo - valueFrom >= 2 && header.charAt(valueFrom) == '"' && header.charAt(valueTo - 1) == '"') {
                    valueFrom++;
                    valueTo--;
                }
                if (valueFrom == valueTo) {
                    return TokenPresentation.ofAbsent();
                }
                String value = header.substring(valueFrom, valueTo);
                if (!isB64Token(value)) {
                    return TokenPresentation.ofMalformed(TokenSource.COOKIE, "token cookie is not a b64token");
                }
                return TokenPresentation.ofToken(TokenSource.COOKIE, value);
            }
            start = end + 1;
        }
        return TokenPresentation.ofAbsent();
    }

    /** RFC 6750 §2.1: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String value) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/') {
                i++;
            } else {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        while (i < n && value.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    /** Strips RFC 9110 §5.6.3 optional whitespace (SP and HTAB) from both ends. */
    private static String trimOws(String value) {
        int from = skipOws(value, 0, value.length());
        return value.substring(from, trimmedEnd(value, from, value.length()));
    }

    /** The first index in {@code [from, to)} that is not SP or HTAB, or {@code to}. */
    private static int skipOws(String value, int from, int to) {
        while (from < to && isOws(value.charAt(from))) {
            from++;
        }
        return from;
    }

    /** {@code to} moved back over trailing SP and HTAB, not below {@code from}. */
    private static int trimmedEnd(String value, int from, int to) {
        while (to > from && isOws(value.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
