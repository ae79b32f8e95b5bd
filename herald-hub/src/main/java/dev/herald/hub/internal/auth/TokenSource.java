package dev.herald.hub.internal.auth;

/**
 * How the access token reached the hub (Mercure §"Presenting the Access Token"). The hub's publish
 * handler needs it: a token from the cookie is an ambient credential, so a publish authorized by
 * it SHOULD additionally pass an {@code Origin}/{@code Referer} check against CSRF
 * (Mercure §"Security Considerations").
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum TokenSource {
    AUTHORIZATION_HEADER,
    COOKIE,
    /** The pre-1.0 {@code authorization} query parameter (compatibility mode only). */
    QUERY_PARAMETER,
    /** A stream ticket redeemed for the token it was issued with ({@link StreamTickets}). */
    TICKET
}
