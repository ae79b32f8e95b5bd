package dev.herald.hub.internal.auth;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's authorization configuration (Mercure §"Authorization"): its resource identifier (the
 * {@code aud} tokens must carry), the issuers it trusts for each role, token limits, how tokens
 * are presented, and the anonymous-access policy.
 *
 * <p>Publisher and subscriber issuers are configured separately because the specification
 * recommends different keys per role, so that compromise of one role does not entail the other;
 * the same issuer identifier may appear in both roles, with the same or different keys.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthConfig {

    /**
     * Tolerated clock difference with issuers when checking {@code exp} and {@code nbf}. 30 s
     * absorbs ordinary NTP drift between the issuer and the hub while keeping the extra validity
     * of an expired token small against the short token lifetimes the specification recommends.
     */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** The largest clock skew that may be configured; more would make {@code exp} meaningless. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** The longest token accepted, in characters: 8 KiB covers generous grants and fits Netty's default header limit. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
    /** The most Mercure authorization details one token may carry. */
    public static final int DEFAULT_MAX_AUTHORIZATION_DETAILS = 32;
    /** The most entries one detail's {@code topics} array may have. */
    public static final int DEFAULT_MAX_TOPICS_PER_DETAIL = 64;
    /** The longest {@code match} value accepted in a token, in characters. */
    public static final int DEFAULT_MAX_PATTERN_LENGTH = 2048;
    /** The cookie name the specification recommends (§"Cookie"). */
    public static final String DEFAULT_COOKIE_NAME = "__Secure-mercure_access_token";
    /** Whether subscribers without a token are accepted (they only ever receive public updates). */
    public static final boolean DEFAULT_ANONYMOUS_SUBSCRIBERS = false;
    /** Whether publishing requires a token; {@code false} is the closed-network mode of §"Authorization". */
    public static final boolean DEFAULT_PUBLISH_REQUIRES_TOKEN = true;
    /** Whether a token may be presented in the cookie as well as in the {@code Authorization} header. */
    public static final boolean DEFAULT_COOKIE_AUTHENTICATION = true;
    /** How many verified tokens each role remembers (0 disables the cache). */
    public static final int DEFAULT_VERIFICATION_CACHE_SIZE = 1024;
    /** How long a verified token is remembered at most (never past its {@code exp}). */
    public static final Duration DEFAULT_VERIFICATION_CACHE_TTL = Duration.ofSeconds(60);
    /** The longest verification cache lifetime that may be configured. */
    public static final Duration MAX_VERIFICATION_CACHE_TTL = Duration.ofMinutes(10);
    /** Whether the pre-1.0 Mercure token forms are accepted besides the 1.0 ones. */
    public static final boolean DEFAULT_MERCURE_0X = false;
    /** The pre-1.0 token cookie name, read (after the configured one) in pre-1.0 compatibility mode. */
    public static final String LEGACY_COOKIE_NAME = "mercureAuthorization";

    private final String resourceIdentifier;
    private final String resourceMetadataUrl;
    private final Map<String, TrustedIssuer> publisherIssuers;
    private final Map<String, TrustedIssuer> subscriberIssuers;
    private final Duration clockSkew;
    private final int maxTokenLength;
    private final int maxAuthorizationDetails;
    private final int maxTopicsPerDetail;
    private final int maxPatternLength;
    private final String cookieName;
    private final boolean cookieAuthentication;
    private final boolean anonymousSubscribers;
    private final boolean publishRequiresToken;
    private final int verificationCacheSize;
    private final Duration verificationCacheTtl;
    private final boolean mercure0x;

    private AuthConfig(Builder builder) {
        this.resourceIdentifier = builder.resourceIdentifier;
        this.resourceMetadataUrl = builder.resourceMetadataUrl;
        this.publisherIssuers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.publisherIssuers));
        this.subscriberIssuers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.subscriberIssuers));
        this.clockSkew = builder.clockSkew;
        this.maxTokenLength = builder.maxTokenLength;
        this.maxAuthorizationDetails = builder.maxAuthorizationDetails;
        this.maxTopicsPerDetail = builder.maxTopicsPerDetail;
        this.maxPatternLength = builder.maxPatternLength;
        this.cookieName = builder.cookieName;
        this.cookieAuthentication = builder.cookieAuthentication;
        this.anonymousSubscribers = builder.anonymousSubscribers;
        this.publishRequiresToken = builder.publishRequiresToken;
        this.verificationCacheSize = builder.verificationCacheSize;
        this.verificationCacheTtl = builder.verificationCacheTtl;
        this.mercure0x = builder.mercure0x;
    }

    /**
     * A builder for a hub whose resource identifier (RECOMMENDED: its canonical URL, for example
     * {@code https://hub.example.com/.well-known/mercure}) is {@code resourceIdentifier}.
     */
    public static Builder builder(String resourceIdentifier) {
        return new Builder(resourceIdentifier);
    }

    /** The value a token's {@code aud} must equal or contain (RFC 9068 §4). */
    public String resourceIdentifier() {
        return resourceIdentifier;
    }

    /** The RFC 9728 metadata URL advertised as {@code resource_metadata} in challenges, if configured. */
    public Optional<String> resourceMetadataUrl() {
        return Optional.ofNullable(resourceMetadataUrl);
    }

    /** The issuers trusted for the role, keyed by issuer identifier, in configuration order. */
    public Map<String, TrustedIssuer> issuers(Role role) {
        requireNonNull(role, "role");
        return role == Role.PUBLISHER ? publisherIssuers : subscriberIssuers;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public int maxTokenLength() {
        return maxTokenLength;
    }

    public int maxAuthorizationDetails() {
        return maxAuthorizationDetails;
    }

    public int maxTopicsPerDetail() {
        return maxTopicsPerDetail;
    }

    public int maxPatternLength() {
        return maxPatternLength;
    }

    public String cookieName() {
        return cookieName;
    }

    public boolean cookieAuthentication() {
        return cookieAuthentication;
    }

    public boolean anonymousSubscribers() {
        return anonymousSubscribers;
    }

    public boolean publishRequiresToken() {
        return publishRequiresToken;
    }

    public int verificationCacheSize() {
        return verificationCacheSize;
    }

    public Duration verificationCacheTtl() {
        return verificationCacheTtl;
    }

    /**
     * Whether the pre-1.0 Mercure forms are accepted besides the 1.0 ones (Mercure appendix "Changes
     * from Pre-Standardization Deployments"): tokens without {@code typ: at+jwt} that carry the
     * {@code mercure} claim (their {@code aud} optional; without {@code authorization_details}, their
     * {@code iss} optional when the role trusts a single issuer, and their {@code exp} optional), grants
     * from that claim, the token in the {@code authorization} query parameter and in the
     * {@link #LEGACY_COOKIE_NAME} cookie.
     */
    public boolean mercure0x() {
        return mercure0x;
    }

    @Override
    public String toString() {
        return "AuthConfig[resource=" + resourceIdentifier + ", publisherIssuers=" + publisherIssuers.keySet()
                + ", subscriberIssuers=" + subscriberIssuers.keySet() + ", clockSkew=" + clockSkew
                + ", anonymousSubscribers=" + anonymousSubscribers + ", publishRequiresToken=" + publishRequiresToken
                + (mercure0x ? ", mercure0x" : "") + "]";
    }

    /** Builds an {@link AuthConfig}. Not thread-safe; use from one thread. */
    public static final class Builder {

        private final String resourceIdentifier;
        private String resourceMetadataUrl;
        private final Map<String, TrustedIssuer> publisherIssuers = new LinkedHashMap<>();
        private final Map<String, TrustedIssuer> subscriberIssuers = new LinkedHashMap<>();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private int maxAuthorizationDetails = DEFAULT_MAX_AUTHORIZATION_DETAILS;
        private int maxTopicsPerDetail = DEFAULT_MAX_TOPICS_PER_DETAIL;
        private int maxPatternLength = DEFAULT_MAX_PATTERN_LENGTH;
        private String cookieName = DEFAULT_COOKIE_NAME;
        private boolean cookieAuthentication = DEFAULT_COOKIE_AUTHENTICATION;
        private boolean anonymousSubscribers = DEFAULT_ANONYMOUS_SUBSCRIBERS;
        private boolean publishRequiresToken = DEFAULT_PUBLISH_REQUIRES_TOKEN;
        private int verificationCacheSize = DEFAULT_VERIFICATION_CACHE_SIZE;
        private Duration verificationCacheTtl = DEFAULT_VERIFICATION_CACHE_TTL;
        private boolean mercure0x = DEFAULT_MERCURE_0X;

        private Builder(String resourceIdentifier) {
            requireNonNull(resourceIdentifier, "resourceIdentifier");
            if (resourceIdentifier.isEmpty() || !isVisibleAscii(resourceIdentifier)) {
                throw new IllegalArgumentException("resourceIdentifier: " + Excerpt.of(resourceIdentifier)
                        + " (expected: a non-empty string of visible ASCII, e.g. the hub URL)");
            }
            this.resourceIdentifier = resourceIdentifier;
        }

        /**
         * The absolute URL of the hub's protected resource metadata (RFC 9728 §3), for example
         * {@code https://hub.example.com/.well-known/oauth-protected-resource/.well-known/mercure};
         * advertised in every Bearer challenge. ASCII only: it is written into a header.
         */
        public Builder resourceMetadataUrl(String resourceMetadataUrl) {
            requireNonNull(resourceMetadataUrl, "resourceMetadataUrl");
            boolean absolute;
            try {
                absolute = new URI(resourceMetadataUrl).isAbsolute();
            } catch (URISyntaxException e) {
                absolute = false;
            }
            if (!absolute || !isVisibleAscii(resourceMetadataUrl)) {
                throw new IllegalArgumentException("resourceMetadataUrl: " + Excerpt.of(resourceMetadataUrl)
                        + " (expected: an absolute URL in ASCII)");
            }
            this.resourceMetadataUrl = resourceMetadataUrl;
            return this;
        }

        /** Trusts {@code issuer} for publisher tokens. */
        public Builder publisherIssuer(TrustedIssuer issuer) {
            return add(publisherIssuers, issuer, Role.PUBLISHER);
        }

        /** Trusts {@code issuer} for subscriber tokens. */
        public Builder subscriberIssuer(TrustedIssuer issuer) {
            return add(subscriberIssuers, issuer, Role.SUBSCRIBER);
        }

        /** Trusts {@code issuer} for both roles; prefer separate keys per role (§"Authorization"). */
        public Builder issuerForBothRoles(TrustedIssuer issuer) {
            publisherIssuer(issuer);
            return subscriberIssuer(issuer);
        }

        public Builder clockSkew(Duration clockSkew) {
            requireNonNull(clockSkew, "clockSkew");
            if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: >= 0 and <= "
                        + MAX_CLOCK_SKEW + ")");
            }
            this.clockSkew = clockSkew;
            return this;
        }

        public Builder maxTokenLength(int maxTokenLength) {
            this.maxTokenLength = positive(maxTokenLength, "maxTokenLength");
            return this;
        }

        public Builder maxAuthorizationDetails(int maxAuthorizationDetails) {
            this.maxAuthorizationDetails = positive(maxAuthorizationDetails, "maxAuthorizationDetails");
            return this;
        }

        public Builder maxTopicsPerDetail(int maxTopicsPerDetail) {
            this.maxTopicsPerDetail = positive(maxTopicsPerDetail, "maxTopicsPerDetail");
            return this;
        }

        public Builder maxPatternLength(int maxPatternLength) {
            this.maxPatternLength = positive(maxPatternLength, "maxPatternLength");
            return this;
        }

        /** The cookie carrying the token; several hubs on one domain may need distinct names (§"Cookie"). */
        public Builder cookieName(String cookieName) {
            requireNonNull(cookieName, "cookieName");
            if (cookieName.isEmpty() || !cookieName.chars().allMatch(Builder::isTokenChar)) {
                throw new IllegalArgumentException("cookieName: " + Excerpt.of(cookieName)
                        + " (expected: an RFC 6265 cookie-name token)");
            }
            this.cookieName = cookieName;
            return this;
        }

        /** Whether the cookie is read at all; when off, only the {@code Authorization} header counts. */
        public Builder cookieAuthentication(boolean cookieAuthentication) {
            this.cookieAuthentication = cookieAuthentication;
            return this;
        }

        public Builder anonymousSubscribers(boolean anonymousSubscribers) {
            this.anonymousSubscribers = anonymousSubscribers;
            return this;
        }

        /**
         * {@code false} turns on the closed-network mode of §"Authorization": anyone who can reach the
         * hub may publish. Such a hub MUST NOT be reachable from networks with untrusted clients.
         */
        public Builder publishRequiresToken(boolean publishRequiresToken) {
            this.publishRequiresToken = publishRequiresToken;
            return this;
        }

        /** How many verified tokens each role remembers, by digest; 0 disables the cache. */
        public Builder verificationCacheSize(int verificationCacheSize) {
            if (verificationCacheSize < 0) {
                throw new IllegalArgumentException("verificationCacheSize: " + verificationCacheSize + " (expected: >= 0)");
            }
            this.verificationCacheSize = verificationCacheSize;
            return this;
        }

        /**
         * How long a verified token is remembered at most. It also bounds how long a key removed
         * from an issuer's JWK Set keeps validating tokens already seen.
         */
        public Builder verificationCacheTtl(Duration verificationCacheTtl) {
            requireNonNull(verificationCacheTtl, "verificationCacheTtl");
            if (verificationCacheTtl.isNegative() || verificationCacheTtl.isZero()
                    || verificationCacheTtl.compareTo(MAX_VERIFICATION_CACHE_TTL) > 0) {
                throw new IllegalArgumentException("verificationCacheTtl: " + verificationCacheTtl
                        + " (expected: > 0 and <= " + MAX_VERIFICATION_CACHE_TTL + ")");
            }
            this.verificationCacheTtl = verificationCacheTtl;
            return this;
        }

        /** Accepts the pre-1.0 Mercure token forms besides the 1.0 ones (see {@link AuthConfig#mercure0x()}). */
        public Builder mercure0x(boolean mercure0x) {
            this.mercure0x = mercure0x;
            return this;
        }

        public AuthConfig build() {
            return new AuthConfig(this);
        }

        private Builder add(Map<String, TrustedIssuer> issuers, TrustedIssuer issuer, Role role) {
            requireNonNull(issuer, "issuer");
            if (issuers.putIfAbsent(issuer.issuer(), issuer) != null) {
                throw new IllegalArgumentException("issuer " + issuer.issuer() + ": trusted twice for the "
                        + role.name().toLowerCase(java.util.Locale.ROOT)
                        + " role (expected: one entry per issuer, listing all its keys)");
            }
            return this;
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }

        private static boolean isVisibleAscii(String value) {
            return value.chars().allMatch(c -> c > 0x20 && c < 0x7F);
        }

        /** RFC 9110 §5.6.2 tchar, the RFC 6265 §4.1.1 cookie-name syntax. */
        private static boolean isTokenChar(int c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
