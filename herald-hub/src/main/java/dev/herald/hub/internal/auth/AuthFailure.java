package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP outcome of an authorization failure (Mercure §"Error Responses", RFC 6750 §3): a status,
 * the exact {@code WWW-Authenticate} value, and a short client-safe body. The challenge never
 * carries an {@code error_description}: the reason for a refusal is not disclosed.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>kind</th><th>status</th><th>{@code WWW-Authenticate}</th></tr>
 *   <tr><td>{@link Kind#MISSING_TOKEN}</td><td>401</td><td>{@code Bearer resource_metadata="…"} (no error code)</td></tr>
 *   <tr><td>{@link Kind#INVALID_TOKEN}</td><td>401</td><td>{@code Bearer error="invalid_token", resource_metadata="…"}</td></tr>
 *   <tr><td>{@link Kind#INSUFFICIENT_SCOPE}</td><td>403</td><td>{@code Bearer error="insufficient_scope", resource_metadata="…"}</td></tr>
 *   <tr><td>{@link Kind#INVALID_REQUEST}</td><td>400</td><td>{@code Bearer error="invalid_request"}</td></tr>
 * </table>
 *
 * Without a configured metadata URL the {@code resource_metadata} parameter is left out (the
 * missing-token challenge is then just {@code Bearer}). Parameter values are RFC 9110 §5.6.4
 * quoted strings.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthFailure {

    /** The four failures RFC 6750 §3 and Mercure §"Error Responses" distinguish. Immutable and thread-safe (an enum). */
    public enum Kind {
        MISSING_TOKEN(401, null, "An access token is required."),
        INVALID_TOKEN(401, "invalid_token", "The access token is not valid."),
        INSUFFICIENT_SCOPE(403, "insufficient_scope", "The access token does not grant this operation."),
        INVALID_REQUEST(400, "invalid_request", "The access token is not presented correctly.");

        private final int status;
        private final String errorCode;
        private final String body;

        Kind(int status, String errorCode, String body) {
            this.status = status;
            this.errorCode = errorCode;
            this.body = body;
        }
    }

    private final Kind kind;
    private final String wwwAuthenticate;
    private final String body;

    private AuthFailure(Kind kind, String wwwAuthenticate, String body) {
        this.kind = kind;
        this.wwwAuthenticate = wwwAuthenticate;
        this.body = body;
    }

    /**
     * The failure of {@code kind}, advertising {@code resourceMetadataUrl} (RFC 9728 §5.1) unless it is
     * {@code null} or the kind is {@link Kind#INVALID_REQUEST}.
     *
     * @throws IllegalArgumentException if the URL has characters a quoted-string cannot carry
     */
    public static AuthFailure of(Kind kind, String resourceMetadataUrl) {
        requireNonNull(kind, "kind");
        StringBuilder challenge = new StringBuilder("Bearer");
        String separator = " ";
        if (kind.errorCode != null) {
            challenge.append(separator).append("error=").append(quoted(kind.errorCode));
            separator = ", ";
        }
        if (resourceMetadataUrl != null && kind != Kind.INVALID_REQUEST) {
            challenge.append(separator).append("resource_metadata=").append(quoted(resourceMetadataUrl));
        }
        return new AuthFailure(kind, challenge.toString(), kind.body);
    }

    /**
     * The same failure with another body: for refusals whose cause is no secret and helps the client
     * (a token presented where this hub does not read it, a spent stream ticket). Never put the token,
     * or why it failed validation, in it.
     */
    public AuthFailure withBody(String body) {
        return new AuthFailure(kind, wwwAuthenticate, requireNonNull(body, "body"));
    }

    public static AuthFailure missingToken(String resourceMetadataUrl) {
        return of(Kind.MISSING_TOKEN, resourceMetadataUrl);
    }

    public static AuthFailure invalidToken(String resourceMetadataUrl) {
        return of(Kind.INVALID_TOKEN, resourceMetadataUrl);
    }

    public static AuthFailure insufficientScope(String resourceMetadataUrl) {
        return of(Kind.INSUFFICIENT_SCOPE, resourceMetadataUrl);
    }

    public static AuthFailure invalidRequest() {
        return of(Kind.INVALID_REQUEST, null);
    }

    public Kind kind() {
        return kind;
    }

    /** 400, 401 or 403. */
    public int status() {
        return kind.status;
    }

    /** The exact {@code WWW-Authenticate} field value to send. */
    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }

    /** A short plain-text body that reveals nothing about why the token was refused. */
    public String body() {
        return body;
    }

    @Override
    public String toString() {
        return "AuthFailure[" + kind.status + ", " + wwwAuthenticate + "]";
    }

    /**
     * {@code value} as an RFC 9110 §5.6.4 quoted-string: {@code "} and {@code \} escaped with a
     * backslash; anything qdtext cannot carry (controls other than HTAB, DEL, non-ASCII) refused,
     * so configuration can never inject a header line.
     */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            } else if ((c < 0x20 && c != '\t') || c >= 0x7F) {
                throw new IllegalArgumentException("value: character U+" + String.format("%04X", (int) c)
                        + " at " + i + " (expected: printable ASCII)");
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
