package dev.herald.hub.internal.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Set;

/**
 * CORS for browser pages on other origins (Mercure §"Subscription": an explicit allowlist; with
 * credentials never {@code *} and never reflected from an arbitrary origin). Thread-safe (immutable).
 */
final class CorsPolicy {

    static final String ALLOWED_METHODS = "GET, POST, QUERY, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Cache-Control";
    static final String EXPOSED_HEADERS = "Mercure-Last-Event-ID";
    /** In pre-1.0 compatibility mode the stream also carries the pre-1.0 {@code Last-Event-ID} response field. */
    static final String EXPOSED_HEADERS_0X = EXPOSED_HEADERS + ", Last-Event-ID";
    static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

    private final Set<String> origins;
    private final boolean anyOrigin;
    private final String exposedHeaders;

    CorsPolicy(List<String> origins) {
        this(origins, false);
    }

    /** A policy for {@code origins}, exposing the pre-1.0 response fields too when {@code compat0x}. */
    CorsPolicy(List<String> origins, boolean compat0x) {
        this.anyOrigin = origins.contains("*");
        this.origins = Set.copyOf(origins);
        this.exposedHeaders = compat0x ? EXPOSED_HEADERS_0X : EXPOSED_HEADERS;
    }

    /** Adds the CORS response headers for a request from {@code requestHeaders}' origin, if allowed. */
    void apply(HttpHeaders requestHeaders, HttpHeaders responseHeaders) {
        apply(requestHeaders, responseHeaders, this.exposedHeaders);
    }

    /** As {@link #apply(HttpHeaders, HttpHeaders)}, exposing {@code exposedHeaders} to the page. */
    void apply(HttpHeaders requestHeaders, HttpHeaders responseHeaders, String exposedHeaders) {
        String origin = requestHeaders.get(HttpHeaderNames.ORIGIN);
        if (origin == null || origins.isEmpty()) {
            return;
        }
        responseHeaders.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        if (origins.contains(origin)) {
            responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        } else if (anyOrigin) {
            responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            return;
        }
        responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposedHeaders);
    }

    /** Sends a plain response to {@code req} with the CORS headers it calls for. */
    void send(ChannelHandlerContext ctx, HttpRequest req, FullHttpResponse res, boolean keepAlive) {
        apply(req.headers(), res.headers());
        Responses.send(ctx, res, keepAlive);
    }

    /** Adds the preflight answer's headers (on top of {@link #apply}). */
    void applyPreflight(HttpHeaders requestHeaders, HttpHeaders responseHeaders) {
        apply(requestHeaders, responseHeaders);
        if (responseHeaders.contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            responseHeaders.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            responseHeaders.setInt(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
        }
    }
}
