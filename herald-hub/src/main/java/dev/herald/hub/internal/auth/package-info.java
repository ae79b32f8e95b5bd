/**
 * Access-token authorization for the hub (Mercure §"Authorization"), framework-free: its API takes
 * header values as strings and returns plain values, so the Netty handlers stay thin.
 *
 * <h2>Flow</h2>
 * <ol>
 *   <li>{@link dev.herald.hub.internal.auth.TokenExtractor} finds the token in the
 *       {@code Authorization} header or, only without one, the cookie (§"Presenting the Access
 *       Token"); never in the URL.
 *   <li>{@link dev.herald.hub.internal.auth.TokenVerifier} validates it as an RFC 9068 JWT access
 *       token with the keys of its {@code iss} for the endpoint's {@link dev.herald.hub.internal.auth.Role}
 *       (§"Token Validation").
 *   <li>{@link dev.herald.hub.internal.auth.AuthorizationDetailsParser} turns its
 *       {@code authorization_details} into {@link dev.herald.hub.internal.auth.Grants}
 *       (§"Authorization Details").
 *   <li>{@link dev.herald.hub.internal.auth.Authorizer} ties these together and answers with an
 *       {@link dev.herald.hub.internal.auth.AuthResult}, whose failures carry the exact RFC 6750
 *       challenge ({@link dev.herald.hub.internal.auth.AuthFailure}).
 * </ol>
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li>Every refusal of a presented token is one {@link dev.herald.hub.internal.auth.InvalidTokenException}
 *       whose reason is for logs only; tokens are never logged, echoed or kept.
 *   <li>EdDSA (Ed25519) is verified with the JDK's own provider: nimbus-jose-jwt's Ed25519 verifier
 *       needs Google Tink, which the hub does not ship.
 *   <li>Grants are built from {@link dev.herald.hub.internal.auth.Grant} values independent of the
 *       claim they came from, and {@code typ} checking is one step of the verifier, so a later
 *       compatibility mode for pre-1.0 tokens (the {@code mercure} claim, any {@code typ}; see the
 *       specification's appendix "Changes from Pre-Standardization Deployments") can be added as a
 *       second claim parser and a relaxed profile without touching the 1.0 path. It is not
 *       implemented.
 * </ul>
 */
package dev.herald.hub.internal.auth;
