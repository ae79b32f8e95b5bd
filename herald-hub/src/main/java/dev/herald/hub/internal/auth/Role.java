package dev.herald.hub.internal.auth;

/**
 * The role a token is presented for. Each role has its own trusted issuers and keys
 * (Mercure §"Authorization": different keys SHOULD sign subscribers' and publishers' tokens).
 *
 * <p>Immutable and thread-safe (an enum).
 */
public enum Role {
    PUBLISHER,
    SUBSCRIBER
}
