package dev.herald.hub.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.HubConfig;
import dev.herald.hub.internal.dispatch.Stats;
import dev.herald.hub.internal.metrics.HubMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routes beside the hub path: {@code /metrics} (Prometheus), the {@link ResourceMetadata} document
 * (RFC 9728) and, when the UI is enabled, the web UI's pages and files ({@link StaticFiles}) and its
 * JSON endpoints: {@value #STATS_PATH} (the
 * counters, polled by the overview), {@value #CONFIG_PATH} (the hub path, whether the demo runs and
 * active subscriptions are on, the development token when one is configured, and whether the token
 * minter is offered) and, with a {@link dev.herald.hub.UiTokenMinter}, the minter's {@code POST}
 * route ({@link TokenMintRoute}). Answers {@code GET} and {@code HEAD} (the minter {@code POST});
 * other methods get 405. The two endpoints that hand out or mint tokens in development mode (the config
 * while it carries a token, the minter) answer only requests naming the hub ({@link DevEndpointGuard}:
 * DNS rebinding); others get 403 with the reason.
 *
 * <p>Thread-safe and shared by every connection.
 */
public final class OpsRoutes {

    static final String METRICS_PATH = "/metrics";
    static final String STATS_PATH = "/ui/api/stats";
    static final String CONFIG_PATH = "/ui/api/config";
    static final String JSON = "application/json";
    /** Pages may load only their own scripts, styles and connections: no inline script, no third party. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'";

    private final HubMetrics metrics;
    private final Stats stats;
    private final StaticFiles files;
    private final byte[] uiConfig;
    private final ResourceMetadata discovery;
    private final TokenMintRoute minter;
    private final DevEndpointGuard devGuard;
    /** Whether {@value #CONFIG_PATH} hands out a token, and so is guarded. */
    private final boolean configHasToken;

    /**
     * @param metrics what {@code /metrics} renders
     * @param stats what {@value #STATS_PATH} reports
     * @param config whether the UI is served, and what {@value #CONFIG_PATH} tells it
     * @throws java.io.UncheckedIOException if the UI is enabled and one of its files is missing
     */
    public OpsRoutes(HubMetrics metrics, Stats stats, HubConfig config) {
        this.metrics = metrics;
        this.stats = stats;
        this.files = config.ui() ? new StaticFiles() : null;
        this.discovery = new ResourceMetadata(config);
        this.minter = config.ui() && config.uiTokenMinter() != null
                ? new TokenMintRoute(config.uiTokenMinter(), config.maxTopicLength()) : null;
        this.devGuard = new DevEndpointGuard(config.publicUrl());
        this.configHasToken = config.uiToken() != null;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("hubPath", config.hubPath());
        c.put("demo", config.demo());
        c.put("subscriptions", config.subscriptions());
        c.put("token", config.uiToken());
        c.put("minter", minter != null);
        this.uiConfig = json(c);
    }

    /**
     * Answers {@code req} if {@code path} is one of these routes.
     *
     * @return whether a response was sent
     */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
        FullHttpResponse r;
        if (path.equals(METRICS_PATH)) {
            r = allowed(req) ? ok(req, metrics.scrape().getBytes(StandardCharsets.UTF_8), HubMetrics.CONTENT_TYPE,
                    "no-store") : notAllowed(req, path);
        } else if (path.equals(discovery.path())) {
            r = allowed(req) ? ok(req, discovery.json(), JSON, ResourceMetadata.CACHE_CONTROL) : notAllowed(req, path);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*"); // a public document, read by any client
            r.headers().set("Link", discovery.link());
        } else if (files == null) {
            return false;
        } else if (path.equals(STATS_PATH)) {
            r = allowed(req) ? ok(req, statsJson(), JSON, "no-store") : notAllowed(req, path);
        } else if (path.equals(TokenMintRoute.PATH) && minter != null) {
            String refused = devGuard.refusal(req, true);
            if (refused != null) {
                r = Responses.text(HttpResponseStatus.FORBIDDEN, refused);
            } else if (req.method().equals(HttpMethod.POST)) {
                r = minter.mint(req);
            } else {
                r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + req.method().name()
                        + " not allowed on " + path + " (allowed: POST)");
                r.headers().set(HttpHeaderNames.ALLOW, "POST");
            }
        } else if (path.equals(CONFIG_PATH)) {
            String refused = configHasToken ? devGuard.refusal(req, false) : null;
            if (refused != null) {
                r = Responses.text(HttpResponseStatus.FORBIDDEN, refused);
            } else {
                r = allowed(req) ? ok(req, uiConfig, JSON, "no-store") : notAllowed(req, path);
            }
        } else {
            StaticFiles.File f = files.get(path);
            if (f == null) {
                return false;
            }
            r = allowed(req) ? ok(req, f.body(), f.contentType(), f.cacheControl()) : notAllowed(req, path);
            r.headers().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            r.headers().set("Link", discovery.link());
        }
        Responses.send(ctx, r, keepAlive);
        return true;
    }

    private byte[] statsJson() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("subscribers", stats.activeSubscribers());
        s.put("topics", stats.distinctTopicCount());
        s.put("patterns", stats.distinctPatternCount());
        s.put("published", stats.publishedCount());
        s.put("delivered", stats.deliveredCount());
        s.put("slowDisconnected", stats.slowDisconnectedCount());
        s.put("replays", stats.replayCount());
        s.put("resets", stats.resetCount());
        return json(s);
    }

    static byte[] json(Map<String, Object> value) {
        try {
            return new ObjectMapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean allowed(FullHttpRequest req) {
        return req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
    }

    private static FullHttpResponse notAllowed(FullHttpRequest req, String path) {
        FullHttpResponse r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + req.method().name()
                + " not allowed on " + path + " (allowed: GET, HEAD)");
        r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        return r;
    }

    /** A 200 with {@code body} (none for {@code HEAD}, but its length). */
    static FullHttpResponse ok(FullHttpRequest req, byte[] body, String contentType, String cacheControl) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
                .set("X-Content-Type-Options", "nosniff")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }
}
