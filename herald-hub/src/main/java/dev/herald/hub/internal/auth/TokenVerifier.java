package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Validates access tokens for one {@link Role} as JWT access tokens (RFC 9068 §4, RFC 8725), as
 * profiled by Mercure §"Token Validation", then parses their authorization details:
 *
 * <ol>
 *   <li>at most {@link AuthConfig#maxTokenLength()} characters of JWS compact serialization
 *       (RFC 7515 §7.1): three base64url parts, a non-empty signature;
 *   <li>header: {@code alg} one this hub implements (never {@code none}); {@code typ} is
 *       {@code at+jwt}, the {@code application/} prefix optional, case-insensitive (RFC 7515
 *       §4.1.9); no {@code crit} extension and no unencoded payload (RFC 7797), which this hub
 *       does not implement. {@code jwk}, {@code jku}, {@code x5u} and {@code x5c} are never used;
 *   <li>claims (a UTF-8 JSON object without duplicate names): {@code iss} exactly one of the
 *       issuers trusted for the role; {@code exp} present and in the future; {@code nbf}, if present,
 *       in the past; both with {@link AuthConfig#clockSkew()} of tolerance; {@code aud} (string or
 *       array of strings) equal to or containing the resource identifier; {@code sub}, if present,
 *       a string;
 *   <li>signature: by a key of the token's issuer only, allowed the token's {@code alg}
 *       (see {@link IssuerKeys});
 *   <li>{@code authorization_details}, only once the signature is verified, so unauthenticated
 *       input never reaches the (URL pattern) matcher compiler.
 * </ol>
 *
 * With {@link AuthConfig#mercure0x()} (pre-1.0 compatibility, Mercure appendix "Changes from
 * Pre-Standardization Deployments"), a token whose {@code typ} is absent or {@code JWT} is accepted
 * too when it carries the pre-1.0 {@code mercure} claim; such a token may lack {@code aud} (the
 * pre-1.0 protocol had no resource identifier: the {@code mercure} claim is what scopes it to Mercure
 * hubs), but one it carries must name this hub. Such a token without {@code authorization_details}
 * may also lack, as pre-1.0 hubs allowed, {@code iss} — it is then the token of the role's only
 * trusted issuer, verified with that issuer's keys alone, and refused when the role trusts several —
 * and {@code exp} — it then expires {@link AccessToken#NEVER never}; an {@code iss} or {@code exp} it
 * carries is checked as in 1.0. Every other check (size, {@code alg}, signature by the issuer's keys,
 * {@code nbf}) is the same, and an {@code at+jwt} token keeps every 1.0 requirement. Any token
 * without {@code authorization_details} then takes its grants from the {@code mercure} claim
 * ({@link MercureClaimParser}); {@code authorization_details}, when present, win.
 *
 * Every failure is one {@link InvalidTokenException}. Successful verifications are remembered
 * briefly by digest ({@link AuthConfig#verificationCacheSize()}), with {@code exp} still checked on
 * every use.
 *
 * <p>Thread-safe. {@link #verify} may block on a JWK Set fetch (see {@link JwksSettings}).
 */
public final class TokenVerifier implements AutoCloseable {

    /** JSON nesting deeper than this is refused; payload objects need little depth. */
    static final int MAX_JSON_DEPTH = 32;

    /** Parses claims strictly: duplicate names (a parser-differential hazard, RFC 8725 §3.3) and trailing data are refused. */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final BigDecimal MAX_EPOCH_SECOND = BigDecimal.valueOf(Instant.MAX.getEpochSecond());
    private static final BigDecimal MIN_EPOCH_SECOND = BigDecimal.valueOf(Instant.MIN.getEpochSecond());

    private final Role role;
    private final String resourceIdentifier;
    private final Duration clockSkew;
    private final int maxTokenLength;
    private final Clock clock;
    private final Map<String, IssuerKeys> issuers;
    private final AuthorizationDetailsParser details;
    private final MercureClaimParser mercureClaim;
    private final VerificationCache cache;

    private TokenVerifier(AuthConfig config, Role role, TopicMatcherFactory matchers, Clock clock) {
        this.role = role;
        this.resourceIdentifier = config.resourceIdentifier();
        this.clockSkew = config.clockSkew();
        this.maxTokenLength = config.maxTokenLength();
        this.clock = clock;
        Map<String, IssuerKeys> keys = new LinkedHashMap<>();
        for (TrustedIssuer issuer : config.issuers(role).values()) {
            keys.put(issuer.issuer(), new IssuerKeys(issuer));
        }
        this.issuers = Map.copyOf(keys);
        this.details = new AuthorizationDetailsParser(matchers, MAPPER, config.maxAuthorizationDetails(),
                config.maxTopicsPerDetail(), config.maxPatternLength());
        this.mercureClaim = config.mercure0x() ? new MercureClaimParser(matchers, MAPPER,
                config.maxAuthorizationDetails() * config.maxTopicsPerDetail(), config.maxPatternLength()) : null;
        this.cache = config.verificationCacheSize() == 0 ? null
                : new VerificationCache(config.verificationCacheSize(), config.verificationCacheTtl());
    }

    /**
     * A verifier of {@code role} tokens under {@code config}, compiling token matchers with
     * {@code matchers} and reading time from {@code clock}. Close it to stop JWK Set refreshes.
     */
    public static TokenVerifier create(AuthConfig config, Role role, TopicMatcherFactory matchers, Clock clock) {
        requireNonNull(config, "config");
        requireNonNull(role, "role");
        requireNonNull(matchers, "matchers");
        requireNonNull(clock, "clock");
        return new TokenVerifier(config, role, matchers, clock);
    }

    public Role role() {
        return role;
    }

    /**
     * The validated token.
     *
     * @throws InvalidTokenException if the token fails any check; its reason never contains the token
     */
    public AccessToken verify(String token) throws InvalidTokenException {
        requireNonNull(token, "token");
        if (token.length() > maxTokenLength) {
            throw invalid("token longer than " + maxTokenLength + " characters");
        }
        if (cache == null) {
            return verifyUncached(token);
        }
        String key = VerificationCache.keyOf(token);
        AccessToken cached = cache.get(key, clock.instant());
        if (cached != null) {
            // exp is enforced on every request, including those answered from the cache
            checkNotExpired(cached.expiresAt(), clock.instant());
            return cached;
        }
        AccessToken verified = verifyUncached(token);
        cache.put(key, verified, clock.instant());
        return verified;
    }

    private AccessToken verifyUncached(String token) throws InvalidTokenException {
        checkCompactSyntax(token);
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException | RuntimeException e) {
            // the parser's message may quote the header: never propagate it
            throw invalid("unparsable JWS header");
        }

        JWSHeader header = jws.getHeader();
        JwsAlgorithm algorithm = JwsAlgorithm.lookup(header.getAlgorithm().getName());
        if (algorithm == null) {
            throw invalid("alg " + Excerpt.of(header.getAlgorithm().getName()) + " not supported");
        }
        boolean accessTokenType = checkType(header.getType(), mercureClaim != null);
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw invalid("crit header present (no JWS extension is supported)");
        }
        if (!header.isBase64URLEncodePayload()) {
            throw invalid("unencoded payload (b64=false) not supported");
        }

        JsonNode claims = parseClaims(jws);
        JsonNode mercure = mercureClaim == null ? null : claims.get(MercureClaimParser.CLAIM);
        if (!accessTokenType && mercure == null) {
            throw invalid("typ " + (header.getType() == null ? "missing" : Excerpt.of(header.getType().getType()))
                    + " without a mercure claim (expected: at+jwt, or a pre-1.0 token with a mercure claim)");
        }
        // a pre-1.0 token proper: untyped (or JWT), its grants in the mercure claim, nothing of 1.0 in it
        boolean preOne = !accessTokenType && claims.get("authorization_details") == null;
        JsonNode issClaim = claims.get("iss");
        String iss;
        IssuerKeys keys;
        if (issClaim == null && preOne) {
            // Pre-1.0 hubs checked no iss: they had one key per role, and Symfony's Mercure component and
            // API Platform still mint tokens without it. Such a token is taken as the token of the role's
            // only trusted issuer and verified with that issuer's keys alone; with several issuers it is
            // refused rather than tried against each, which would pool their keys (Mercure §"Token Validation").
            if (issuers.size() != 1) {
                throw invalid("iss missing (a pre-1.0 token may omit it only when the " + roleName()
                        + " role trusts a single issuer; " + issuers.size() + " are trusted)");
            }
            Map.Entry<String, IssuerKeys> only = issuers.entrySet().iterator().next();
            iss = only.getKey();
            keys = only.getValue();
        } else {
            if (issClaim == null || !issClaim.isTextual()) {
                throw invalid("iss missing or not a string");
            }
            iss = issClaim.textValue();
            keys = issuers.get(iss);
            if (keys == null) {
                throw invalid("iss " + Excerpt.of(iss) + " not trusted for the " + roleName() + " role");
            }
        }
        Instant now = clock.instant();
        JsonNode expClaim = claims.get("exp");
        Instant exp;
        if (expClaim != null) {
            exp = numericDate(expClaim, "exp");
            if (exp.isAfter(AccessToken.NEVER)) {
                exp = AccessToken.NEVER; // later than any stream lives, and still representable in epoch milliseconds
            }
            checkNotExpired(exp, now);
        } else if (preOne) {
            // pre-1.0 hubs took exp as optional (RFC 7519 §4.1.4); such a token holds until its key is replaced
            exp = AccessToken.NEVER;
        } else {
            throw invalid("exp missing");
        }
        JsonNode nbfClaim = claims.get("nbf");
        if (nbfClaim != null) {
            Instant nbf = numericDate(nbfClaim, "nbf");
            if (nbf.isAfter(now.plus(clockSkew))) {
                throw invalid("not valid before " + nbf);
            }
        }
        JsonNode aud = claims.get("aud");
        if (accessTokenType || aud != null) {
            checkAudience(aud);
        }
        JsonNode subClaim = claims.get("sub");
        if (subClaim != null && !subClaim.isTextual()) {
            throw invalid("sub not a string");
        }

        IssuerKeys.Outcome outcome = keys.verify(header, algorithm, jws.getSigningInput(), jws.getSignature());
        switch (outcome) {
            case VERIFIED:
                break;
            case NO_KEY:
                throw invalid("no key of issuer " + Excerpt.of(iss) + " may verify alg " + algorithm.jwaName()
                        + (header.getKeyID() == null ? "" : " with kid " + Excerpt.of(header.getKeyID())));
            case KEYS_UNAVAILABLE:
                throw invalid("JWK Set of issuer " + Excerpt.of(iss) + " unavailable");
            default:
                throw invalid("signature not verified by any key of issuer " + Excerpt.of(iss));
        }

        JsonNode authorizationDetails = claims.get("authorization_details");
        Grants grants = authorizationDetails == null && mercure != null ? mercureClaim.parse(mercure)
                : details.parse(authorizationDetails);
        return AccessToken.of(iss, subClaim == null ? null : subClaim.textValue(), exp, grants);
    }

    /** Stops background JWK Set refreshes. */
    @Override
    public void close() {
        for (IssuerKeys keys : issuers.values()) {
            try {
                keys.close();
            } catch (IOException e) {
                // nothing is held that outlives the process; closing is best effort
            }
        }
    }

    private String roleName() {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** RFC 7519 §4.1.4: the current time must be before {@code exp}, give or take the clock skew. */
    private void checkNotExpired(Instant exp, Instant now) throws InvalidTokenException {
        if (!now.minus(clockSkew).isBefore(exp)) {
            throw new InvalidTokenException("expired at " + exp, true);
        }
    }

    /** Base64url parts separated by exactly two dots, the last (the signature) non-empty: an unsecured JWS has none. */
    private static void checkCompactSyntax(String token) throws InvalidTokenException {
        int dots = 0;
        int lastDot = -1;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (++dots > 2 || i == lastDot + 1) {
                    throw invalid("not a JWS compact serialization");
                }
                lastDot = i;
            } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_')) {
                throw invalid("not a JWS compact serialization");
            }
        }
        if (dots != 2 || lastDot == token.length() - 1) {
            throw invalid("not a JWS compact serialization (or an unsigned one)");
        }
    }

    /**
     * RFC 9068 §4 / RFC 7515 §4.1.9: {@code at+jwt}, with or without {@code application/}, any case
     * (returns {@code true}). With {@code legacy}, also no {@code typ} or {@code JWT} (RFC 7519 §5.1),
     * as pre-1.0 tokens have (returns {@code false}); a token typed for another purpose is refused
     * either way (RFC 8725 §3.11).
     */
    private static boolean checkType(JOSEObjectType type, boolean legacy) throws InvalidTokenException {
        if (type == null) {
            if (legacy) {
                return false;
            }
            throw invalid("typ missing (expected: at+jwt)");
        }
        String value = type.getType();
        if (value.regionMatches(true, 0, "application/", 0, 12)) {
            value = value.substring(12);
        }
        if (value.equalsIgnoreCase("at+jwt")) {
            return true;
        }
        if (legacy && value.equalsIgnoreCase("jwt")) {
            return false;
        }
        throw invalid("typ " + Excerpt.of(type.getType()) + " (expected: at+jwt" + (legacy ? " or JWT)" : ")"));
    }

    private static JsonNode parseClaims(JWSObject jws) throws InvalidTokenException {
        String json;
        try {
            // RFC 7519 §7.2: the claims are UTF-8; refuse anything else rather than guess
            json = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(jws.getPayload().toBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("claims are not UTF-8");
        }
        JsonNode claims;
        try {
            claims = MAPPER.readTree(json);
        } catch (JsonProcessingException | RuntimeException e) {
            throw invalid("claims are not valid JSON (or have duplicate names)");
        }
        if (claims == null || !claims.isObject()) {
            throw invalid("claims are not a JSON object");
        }
        return claims;
    }

    private void checkAudience(JsonNode aud) throws InvalidTokenException {
        if (aud == null) {
            throw invalid("aud missing");
        }
        if (aud.isTextual()) {
            if (aud.textValue().equals(resourceIdentifier)) {
                return;
            }
        } else if (aud.isArray()) {
            boolean found = false;
            for (JsonNode member : aud) {
                if (!member.isTextual()) {
                    throw invalid("aud has a non-string member");
                }
                found |= member.textValue().equals(resourceIdentifier);
            }
            if (found) {
                return;
            }
        } else {
            throw invalid("aud is neither a string nor an array of strings");
        }
        throw invalid("aud does not contain this hub's resource identifier");
    }

    /** An RFC 7519 NumericDate (seconds, possibly fractional), clamped to the {@link Instant} range. */
    private static Instant numericDate(JsonNode node, String claim) throws InvalidTokenException {
        if (!node.isNumber()) {
            throw invalid(claim + " is not a number");
        }
        BigDecimal seconds;
        if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw invalid(claim + " is not finite");
            }
            seconds = BigDecimal.valueOf(value);
        } else {
            seconds = node.decimalValue();
        }
        if (seconds.compareTo(MAX_EPOCH_SECOND) >= 0) {
            return Instant.MAX;
        }
        if (seconds.compareTo(MIN_EPOCH_SECOND) <= 0) {
            return Instant.MIN;
        }
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        int nanos = seconds.subtract(whole).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    }

    private static InvalidTokenException invalid(String reason) {
        return new InvalidTokenException(reason);
    }
}
