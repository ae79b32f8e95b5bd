package dev.herald.hub.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.HubConfig;
import dev.herald.hub.JwtIssuer;
import dev.herald.hub.internal.auth.AuthConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's OAuth 2.0 Protected Resource Metadata (RFC 9728; Mercure §"Protected Resource Metadata")
 * and its hub discovery {@code Link} value (Mercure §"Hub Discovery"). The document is served at
 * {@code /.well-known/oauth-protected-resource} followed by the hub path, and lists: {@code resource}
 * (the audience tokens must carry), {@code authorization_servers} (the trusted issuers whose
 * identifiers are {@code https} URLs, as RFC 8414 issuers are; omitted when there is none),
 * {@code authorization_details_types_supported}, {@code bearer_methods_supported} ({@code header}),
 * {@code mercure_cookie}, and {@code mercure_subscriptions} when active subscriptions are on.
 *
 * <p>Immutable and thread-safe.
 */
final class ResourceMetadata {

    /** The RFC 9728 well-known prefix the hub path is appended to. */
    static final String WELL_KNOWN_PREFIX = "/.well-known/oauth-protected-resource";
    static final String AUTHORIZATION_DETAIL_TYPE = "https://mercure.rocks/authorization-detail";
    /** The document changes only with the configuration: caches may keep it a while. */
    static final String CACHE_CONTROL = "public, max-age=3600";

    private final String path;
    private final byte[] json;
    private final String link;

    ResourceMetadata(HubConfig config) {
        this.path = WELL_KNOWN_PREFIX + config.hubPath();
        this.link = "<" + config.publicUrl() + ">; rel=\"mercure\"";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resource", config.jwtAudience());
        Set<String> servers = new LinkedHashSet<>();
        List<JwtIssuer> issuers = new ArrayList<>(config.publisherIssuers());
        issuers.addAll(config.subscriberIssuers());
        for (JwtIssuer issuer : issuers) {
            if (issuer.issuer().startsWith("https://")) {
                servers.add(issuer.issuer());
            }
        }
        if (!servers.isEmpty()) {
            m.put("authorization_servers", List.copyOf(servers));
        }
        m.put("authorization_details_types_supported", List.of(AUTHORIZATION_DETAIL_TYPE));
        m.put("bearer_methods_supported", List.of("header"));
        if (AuthConfig.DEFAULT_COOKIE_AUTHENTICATION) {
            m.put("mercure_cookie", AuthConfig.DEFAULT_COOKIE_NAME);
        }
        if (config.subscriptions()) {
            m.put("mercure_subscriptions", true); // Mercure §"Active Subscriptions": advertised when supported
        }
        try {
            this.json = new ObjectMapper().writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request path of the document. */
    String path() {
        return path;
    }

    byte[] json() {
        return json.clone();
    }

    /** The {@code Link} field value advertising the hub: {@code <public URL>; rel="mercure"}. */
    String link() {
        return link;
    }
}
