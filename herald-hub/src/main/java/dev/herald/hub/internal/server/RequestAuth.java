package dev.herald.hub.internal.server;

import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.auth.Role;
import dev.herald.hub.internal.auth.StreamTickets;
import dev.herald.hub.internal.dispatch.SubscriberAccess;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Authorization as the HTTP layer needs it (Mercure §"Authorization"), in two steps so that the
 * possibly blocking one never runs on an event loop:
 *
 * <ol>
 *   <li>{@link #redeemTicket}: redeem the stream ticket of a subscription, without blocking (a
 *       shared ticket store answers later); the caller continues on the channel's event loop. For a
 *       request without a ticket, {@link #verify}: find the token ({@code Authorization} header,
 *       else the cookie; in the URL only the pre-1.0 {@code authorization} parameter, in
 *       compatibility mode) and validate it. This may block on a JWK Set fetch when
 *       {@link #mayBlock} says so; the caller then runs it on {@link #verifier()} and continues on
 *       the channel's event loop.
 *   <li>{@link #authenticateSubscriber} / {@link #authorizePublish} / {@link #issueTicket}: decide
 *       on the verified credentials, never blocking.
 * </ol>
 *
 * <p>Implementations are thread-safe.
 */
interface RequestAuth extends AutoCloseable {

    /** Whether {@link #verify} of {@code request} for {@code role} may block. */
    boolean mayBlock(Role role, HttpRequest request);

    /** Where blocking verifications run; {@code null} when no verification can block. */
    Executor verifier();

    /**
     * Redeems the stream ticket {@code request} presents, if it is a subscription ({@code GET} or
     * {@code QUERY}) for {@code role} with a {@code ticket} parameter; {@code null} for any other
     * request, which {@link #verify} then authorizes. The ticket is spent whatever the outcome.
     *
     * @return the outcome (a spent, expired or unknown ticket is {@link AuthResult.Denied}, never
     *         anonymous), or a future failed with {@link dev.herald.hub.HistoryUnavailableException}
     *         when the cluster's ticket store cannot tell (answered 503); it may complete on a thread
     *         of the store
     */
    CompletableFuture<AuthResult> redeemTicket(Role role, HttpRequest request);

    /**
     * Reads and validates the credentials {@code request} presents for {@code role}, a request
     * {@link #redeemTicket} returned {@code null} for. Never throws for bad input.
     *
     * @throws IllegalStateException for a request {@link #redeemTicket} handles: an ambient cookie or
     *         no credentials must never stand in for its ticket
     */
    AuthResult verify(Role role, HttpRequest request);

    /**
     * What the subscriber with these verified credentials may receive.
     *
     * @throws AuthRejection when a token is required but absent, invalid or malformed
     */
    SubscriberAccess authenticateSubscriber(AuthResult verified) throws AuthRejection;

    /**
     * Checks that the publisher with these verified credentials may publish to every one of
     * {@code topics}, and, when it authenticated with a cookie, that the request comes from an
     * allowed origin (CSRF).
     *
     * @throws AuthRejection when it may not (401, 403 or 400 as RFC 6750 says; 403 for a cross-site cookie)
     */
    void authorizePublish(AuthResult verified, HttpHeaders headers, List<String> topics) throws AuthRejection;

    /**
     * Checks that the client with these verified credentials may read the Subscription API resource
     * whose canonical relative URL is {@code topic} (Mercure §"Subscription API"): it needs a token
     * (401 without one, even when anonymous subscribers are accepted) granting {@code subscribe} on
     * {@code topic} (403 otherwise).
     *
     * @throws AuthRejection when it may not
     */
    void authorizeSubscriptions(AuthResult verified, String topic) throws AuthRejection;

    /**
     * A stream ticket for the subscriber token of these verified credentials (a ticket request,
     * {@code POST {hub}/tickets}), or the refusal to send: no or an invalid token (401), a cookie from
     * a foreign origin (403), a bound reached ({@link StreamTickets.Issue#refusal()}, answered
     * 429 or 503 by the caller).
     *
     * @return the ticket or the bound reached, once the ticket is redeemable (a cluster's ticket store
     *         holds it); or a future failed with {@link dev.herald.hub.HistoryUnavailableException} when
     *         the store did not take it (answered 503). It may complete on a thread of the store.
     * @throws AuthRejection when the credentials do not allow a ticket
     */
    CompletableFuture<StreamTickets.Issue> issueTicket(AuthResult verified, HttpHeaders headers) throws AuthRejection;

    /** The token subject ({@code iss} and {@code sub}) a subscriber's streams are counted under, or {@code null}. */
    static String subjectOf(AuthResult verified) {
        if (verified instanceof AuthResult.Authorized a && a.token().subject().isPresent()) {
            return a.token().issuer() + '\n' + a.token().subject().get();
        }
        return null;
    }

    /** Stops background work (JWK Set refreshes, the verifier threads). */
    @Override
    void close();
}
