package dev.herald.hub.internal.auth;

import java.util.Locale;

/**
 * Why a request was refused authorization, as counted by {@code herald_auth_failures_total{reason}}:
 * a small fixed set, so the metric's cardinality stays bounded whatever clients send. Finer reasons
 * (which claim failed) are logged at debug level, never sent to clients. Immutable (an enum).
 */
public enum AuthFailureReason {
    /** No token where one is required (401 without error code). */
    MISSING_TOKEN,
    /** The token's {@code exp} has passed (401 {@code invalid_token}). */
    EXPIRED_TOKEN,
    /** Any other validation failure: signature, issuer, audience, type, claims (401 {@code invalid_token}). */
    INVALID_TOKEN,
    /** The token is not presented correctly, e.g. two {@code Authorization} fields (400 {@code invalid_request}). */
    INVALID_REQUEST,
    /** A valid token that does not grant the operation on these topics (403 {@code insufficient_scope}). */
    INSUFFICIENT_SCOPE,
    /** A publish or ticket request authenticated by cookie from an origin not allowed to make it (403, CSRF check). */
    CROSS_ORIGIN;

    /** The label value: the name in lower case ({@code expired_token}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
