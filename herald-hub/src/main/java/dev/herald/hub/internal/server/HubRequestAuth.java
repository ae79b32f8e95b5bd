package dev.herald.hub.internal.server;

import dev.herald.hub.Compat;
import dev.herald.hub.HubConfig;
import dev.herald.hub.JwtIssuer;
import dev.herald.hub.TicketStore;
import dev.herald.hub.internal.auth.AccessToken;
import dev.herald.hub.internal.auth.AuthConfig;
import dev.herald.hub.internal.auth.AuthFailure;
import dev.herald.hub.internal.auth.AuthFailureReason;
import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.auth.Authorizer;
import dev.herald.hub.internal.auth.Role;
import dev.herald.hub.internal.auth.StreamTickets;
import dev.herald.hub.internal.auth.TicketCodec;
import dev.herald.hub.internal.auth.TicketService;
import dev.herald.hub.internal.auth.TokenSource;
import dev.herald.hub.internal.dispatch.Stats;
import dev.herald.hub.internal.dispatch.SubscriberAccess;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import dev.herald.hub.internal.form.FormParser;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RequestAuth} on the JWT {@link Authorizer}: every configured issuer per role (HMAC
 * secrets, PEM public keys, JWK Sets), the {@code Authorization} header or the cookie, and the CSRF
 * origin check for cookie-authenticated publishes (Mercure §"Security Considerations": the
 * {@code Origin}, or else {@code Referer}, must match the hub's origin or an allowed one; a
 * request with neither is refused). Its 401 and 403 challenges carry {@code resource_metadata}.
 *
 * <p>When an issuer of a role uses a JWK Set, verifications of that role run on a small pool of
 * {@value #VERIFIER_THREADS} threads with a queue of {@value #VERIFIER_QUEUE}, so a fetch never
 * blocks an event loop; a full queue is answered 503. Without JWK Sets, verification is pure
 * computation and runs inline.
 *
 * <p>It also keeps the hub's stream tickets ({@link TicketService}: in memory, or in the cluster's
 * {@link TicketStore}): {@link #issueTicket} trades a subscriber token for a ticket, and
 * {@link #redeemTicket} redeems the {@code ticket} parameter of a subscription instead of reading a
 * token (a ticket next to an {@code Authorization} header or URL token is refused with 400; next to a
 * cookie, the ticket is used and the ambient cookie ignored). In
 * pre-1.0 compatibility mode the token may also come from the {@code authorization} query
 * parameter and the {@code mercureAuthorization} cookie, and pre-1.0 tokens are accepted
 * ({@link AuthConfig#mercure0x()}).
 *
 * <p>Never logs or echoes a token or a ticket: refusals are logged at debug level with the
 * verifier's reason, which never contains either. Thread-safe.
 */
final class HubRequestAuth implements RequestAuth {

    private static final Logger log = LoggerFactory.getLogger(HubRequestAuth.class);
    static final int VERIFIER_THREADS = 2;
    static final int VERIFIER_QUEUE = 1024;

    private final Authorizer authorizer;
    private final boolean publisherBlocks;
    private final boolean subscriberBlocks;
    private final ThreadPoolExecutor verifier;
    private final Set<String> publishOrigins;
    private final Set<String> ticketOrigins;
    private final TicketService tickets;
    private final FormParser queryParser;
    private final AuthFailure ticketWithToken;
    private final AuthFailure severalTickets;
    private final AuthFailure invalidTicket;
    private final AuthFailure ticketNeedsToken;
    private final AuthFailure invalidToken;
    private final Stats stats;

    private HubRequestAuth(Authorizer authorizer, boolean publisherBlocks, boolean subscriberBlocks,
                           Set<String> publishOrigins, Set<String> ticketOrigins, TicketService tickets,
                           FormParser queryParser, Stats stats) {
        this.authorizer = authorizer;
        this.stats = stats;
        this.publisherBlocks = publisherBlocks;
        this.subscriberBlocks = subscriberBlocks;
        this.publishOrigins = Set.copyOf(publishOrigins);
        this.ticketOrigins = Set.copyOf(ticketOrigins);
        this.tickets = tickets;
        this.queryParser = queryParser;
        String metadata = authorizer.config().resourceMetadataUrl().orElse(null);
        this.invalidToken = AuthFailure.invalidToken(metadata);
        this.ticketWithToken = AuthFailure.invalidRequest()
                .withBody("Present either a stream ticket or an access token, not both.");
        this.severalTickets = AuthFailure.invalidRequest().withBody("Present one stream ticket.");
        this.invalidTicket = AuthFailure.invalidToken(metadata)
                .withBody("The stream ticket is spent, expired or unknown: request a new one.");
        this.ticketNeedsToken = authorizer.missingToken()
                .withBody("A stream ticket is issued for an access token: present it in the Authorization header.");
        this.verifier = publisherBlocks || subscriberBlocks
                ? new ThreadPoolExecutor(VERIFIER_THREADS, VERIFIER_THREADS, 0, TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(VERIFIER_QUEUE), new DefaultThreadFactory("herald-token-verifier", true))
                : null;
    }

    /**
     * The hub's authorization from its configuration: {@link HubConfig#publisherIssuers()} and
     * {@link HubConfig#subscriberIssuers()}, audience {@link HubConfig#jwtAudience()}; stream tickets
     * kept in {@code ticketStore}, or in this hub's memory when it is {@code null}.
     *
     * @throws IllegalArgumentException when a key is unusable (too short, not PEM, wrong algorithm)
     */
    static HubRequestAuth create(HubConfig config, TopicMatcherFactory matchers, Stats stats,
                                 TicketStore ticketStore) {
        AuthConfig.Builder b = AuthConfig.builder(config.jwtAudience()).anonymousSubscribers(config.anonymous())
                .resourceMetadataUrl(metadataUrl(config)).mercure0x(config.compat() == Compat.V0X);
        for (JwtIssuer issuer : config.publisherIssuers()) {
            b.publisherIssuer(TrustedIssuers.toTrusted(issuer));
        }
        for (JwtIssuer issuer : config.subscriberIssuers()) {
            b.subscriberIssuer(TrustedIssuers.toTrusted(issuer));
        }
        Set<String> origins = new HashSet<>();
        String own = Origins.of(config.publicUrl().toString());
        if (own != null) {
            origins.add(own);
        }
        for (String o : config.publishOrigins()) {
            String normalized = Origins.of(o);
            if (normalized == null) {
                throw new IllegalArgumentException("publish origin: " + o + " (expected: scheme://host[:port])");
            }
            origins.add(normalized);
        }
        // a page reading a ticket needs CORS anyway: a cookie-authenticated ticket request must come
        // from the hub's origin or one the CORS list names (never "*", which excludes credentials)
        Set<String> ticketOrigins = new HashSet<>();
        if (own != null) {
            ticketOrigins.add(own);
        }
        for (String o : config.corsOrigins()) {
            String normalized = Origins.of(o);
            if (normalized != null) {
                ticketOrigins.add(normalized);
            }
        }
        StreamTickets bounded = StreamTickets.create(config.ticketTtl(), config.maxTickets(),
                config.maxTicketsPerSubject(), Clock.systemUTC());
        TicketService tickets = ticketStore == null ? TicketService.local(bounded)
                : TicketService.shared(bounded, ticketStore, new TicketCodec(matchers), Clock.systemUTC());
        FormParser queryParser = FormParser.of(config.maxMatchers() + SubscriptionParser.EXTRA_FIELDS,
                config.maxRequestLineLength());
        return new HubRequestAuth(Authorizer.create(b.build(), matchers),
                config.publisherIssuers().stream().anyMatch(JwtIssuer::usesJwks),
                config.subscriberIssuers().stream().anyMatch(JwtIssuer::usesJwks), origins, ticketOrigins, tickets,
                queryParser, stats);
    }

    /**
     * Where the hub's RFC 9728 metadata is ({@link ResourceMetadata}), advertised as
     * {@code resource_metadata} in every 401 and 403 challenge (Mercure §"Error Responses").
     */
    static String metadataUrl(HubConfig config) {
        java.net.URI url = config.publicUrl();
        return url.getScheme() + "://" + url.getRawAuthority() + ResourceMetadata.WELL_KNOWN_PREFIX + config.hubPath();
    }

    @Override
    public boolean mayBlock(Role role, HttpRequest request) {
        boolean jwks = role == Role.PUBLISHER ? publisherBlocks : subscriberBlocks;
        if (!jwks) {
            return false;
        }
        HttpHeaders headers = request.headers();
        return headers.contains(HttpHeaderNames.AUTHORIZATION) || headers.contains(HttpHeaderNames.COOKIE)
                || (authorizer.config().mercure0x() && !QueryCredentials.of(request.uri(), queryParser).tokens().isEmpty());
    }

    @Override
    public Executor verifier() {
        return verifier;
    }

    @Override
    public AuthResult verify(Role role, HttpRequest request) {
        String authorization = authorization(request.headers());
        String cookies = cookies(request.headers());
        QueryCredentials query = QueryCredentials.of(request.uri(), queryParser);
        if (presentsTicket(role, request, query)) {
            // an ambient cookie must never stand in for a ticket: redeemTicket decides
            throw new IllegalStateException("a subscription with a stream ticket is authorized by redeemTicket");
        }
        return role == Role.PUBLISHER ? authorizer.authenticatePublisher(authorization, query.tokens(), cookies)
                : authorizer.authenticateSubscriber(authorization, query.tokens(), cookies);
    }

    /** A stream ticket stands for its token; spent on the first try, whatever the outcome. */
    @Override
    public CompletableFuture<AuthResult> redeemTicket(Role role, HttpRequest request) {
        QueryCredentials query = QueryCredentials.of(request.uri(), queryParser);
        if (!presentsTicket(role, request, query)) {
            return null;
        }
        if (authorization(request.headers()) != null || !query.tokens().isEmpty()) {
            return CompletableFuture.completedFuture(AuthResult.ofDenied(ticketWithToken,
                    "stream ticket presented with an access token", AuthFailureReason.INVALID_REQUEST));
        }
        if (query.tickets().size() > 1) {
            return CompletableFuture.completedFuture(AuthResult.ofDenied(severalTickets, "several stream tickets",
                    AuthFailureReason.INVALID_REQUEST));
        }
        return tickets.redeem(query.tickets().get(0)).thenApply(token -> token == null
                ? AuthResult.ofDenied(invalidTicket, "stream ticket spent, expired or unknown",
                        AuthFailureReason.INVALID_TOKEN)
                : AuthResult.ofAuthorized(token, TokenSource.TICKET));
    }

    private static boolean presentsTicket(Role role, HttpRequest request, QueryCredentials query) {
        return role == Role.SUBSCRIBER && !query.tickets().isEmpty() && isSubscription(request.method());
    }

    private static boolean isSubscription(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HubHandler.QUERY);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A token past its {@code exp} but within the verifier's clock skew is refused here: its
     * stream would have to be closed at once (Mercure §"Subscribers"), so the client is told to
     * renew it instead.
     */
    @Override
    public SubscriberAccess authenticateSubscriber(AuthResult r) throws AuthRejection {
        if (r instanceof AuthResult.Authorized a) {
            if (!a.token().expiresAt().isAfter(Instant.now())) {
                log.debug("subscription refused: token expired at {}", a.token().expiresAt());
                stats.authFailed(Role.SUBSCRIBER, AuthFailureReason.EXPIRED_TOKEN);
                throw rejection(invalidToken);
            }
            return new TokenAccess(a.token());
        }
        if (r instanceof AuthResult.Anonymous) {
            return SubscriberAccess.ANONYMOUS;
        }
        throw rejection((AuthResult.Denied) r, Role.SUBSCRIBER);
    }

    @Override
    public void authorizePublish(AuthResult r, HttpHeaders headers, List<String> topics) throws AuthRejection {
        if (r instanceof AuthResult.Denied d) {
            throw rejection(d, Role.PUBLISHER);
        }
        if (r instanceof AuthResult.Authorized a) {
            if (a.source() == TokenSource.COOKIE && !fromAllowedOrigin(headers, publishOrigins)) {
                log.debug("publish refused: cookie-authenticated request from a disallowed or unknown origin");
                stats.authFailed(Role.PUBLISHER, AuthFailureReason.CROSS_ORIGIN);
                throw new AuthRejection(HttpResponseStatus.FORBIDDEN, null,
                        "a publish authenticated by cookie must come from an allowed origin"
                                + " (Origin or Referer header; CSRF protection)");
            }
            if (!a.token().canPublish(topics)) {
                log.debug("publish refused: token does not grant publish on every topic");
                stats.authFailed(Role.PUBLISHER, AuthFailureReason.INSUFFICIENT_SCOPE);
                throw rejection(authorizer.insufficientScope());
            }
        }
    }

    @Override
    public void authorizeSubscriptions(AuthResult r, String topic) throws AuthRejection {
        if (r instanceof AuthResult.Denied d) {
            throw rejection(d, Role.SUBSCRIBER);
        }
        if (!(r instanceof AuthResult.Authorized a)) {
            // anonymous: the data is that of private updates, which need a token
            log.debug("subscriptions request refused: no token");
            stats.authFailed(Role.SUBSCRIBER, AuthFailureReason.MISSING_TOKEN);
            throw rejection(authorizer.missingToken());
        }
        if (!a.token().grants().canSubscribe(topic)) {
            log.debug("subscriptions request refused: token does not grant subscribe on the resource");
            stats.authFailed(Role.SUBSCRIBER, AuthFailureReason.INSUFFICIENT_SCOPE);
            throw rejection(authorizer.insufficientScope());
        }
    }

    @Override
    public CompletableFuture<StreamTickets.Issue> issueTicket(AuthResult r, HttpHeaders headers) throws AuthRejection {
        if (r instanceof AuthResult.Denied d) {
            throw rejection(d, Role.SUBSCRIBER);
        }
        if (!(r instanceof AuthResult.Authorized a)) {
            log.debug("ticket request refused: no access token");
            stats.authFailed(Role.SUBSCRIBER, AuthFailureReason.MISSING_TOKEN);
            throw rejection(ticketNeedsToken);
        }
        if (!a.token().expiresAt().isAfter(Instant.now())) {
            log.debug("ticket request refused: token expired at {}", a.token().expiresAt());
            stats.authFailed(Role.SUBSCRIBER, AuthFailureReason.EXPIRED_TOKEN);
            throw rejection(invalidToken);
        }
        if (a.source() == TokenSource.COOKIE && !fromAllowedOrigin(headers, ticketOrigins)) {
            log.debug("ticket request refused: cookie-authenticated request from a disallowed or unknown origin");
            stats.authFailed(Role.SUBSCRIBER, AuthFailureReason.CROSS_ORIGIN);
            throw new AuthRejection(HttpResponseStatus.FORBIDDEN, null,
                    "a ticket request authenticated by cookie must come from the hub's origin or a CORS origin"
                            + " (Origin or Referer header; CSRF protection)");
        }
        String subject = RequestAuth.subjectOf(r);
        return tickets.issue(a.token(), subject != null ? subject : a.token().issuer() + '\n');
    }

    /** Mercure §"Security Considerations": the source origin must match; neither header → refused. */
    private static boolean fromAllowedOrigin(HttpHeaders headers, Set<String> allowed) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        String source = origin != null ? Origins.of(origin) : Origins.of(headers.get(HttpHeaderNames.REFERER));
        return source != null && allowed.contains(source);
    }

    @Override
    public void close() {
        if (verifier != null) {
            verifier.shutdownNow();
        }
        authorizer.close();
    }

    /** The {@code Authorization} field; several fields joined so the extractor refuses them (RFC 9110 §5.3). */
    private static String authorization(HttpHeaders headers) {
        List<String> all = headers.getAll(HttpHeaderNames.AUTHORIZATION);
        return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : String.join(", ", all);
    }

    private static String cookies(HttpHeaders headers) {
        List<String> all = headers.getAll(HttpHeaderNames.COOKIE);
        return all.isEmpty() ? null : String.join("; ", all);
    }

    private AuthRejection rejection(AuthResult.Denied d, Role role) {
        log.debug("{} refused: {}", role == Role.PUBLISHER ? "publish" : "subscription", d.reason());
        stats.authFailed(role, d.category());
        return rejection(d.httpFailure());
    }

    private static AuthRejection rejection(AuthFailure f) {
        return new AuthRejection(HttpResponseStatus.valueOf(f.status()), f.wwwAuthenticate(), f.body());
    }

    /** A verified token's view for dispatch. Immutable and thread-safe. */
    private static final class TokenAccess implements SubscriberAccess {
        private final AccessToken token;

        TokenAccess(AccessToken token) {
            this.token = token;
        }

        @Override
        public boolean canReceivePrivate(List<String> topics) {
            return token.canSubscribe(topics);
        }

        @Override
        public Instant expiresAt() {
            return token.expiresAt();
        }

        @Override
        public Optional<String> payloadFor(String matcherValue) {
            return token.payloadFor(matcherValue);
        }

        @Override
        public String toString() {
            return "token of " + token.subject().orElse("(no sub)");
        }
    }
}
