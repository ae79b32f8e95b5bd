package dev.herald.hub.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.hub.Compat;
import dev.herald.hub.HubConfig;
import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.subscriptions.ActiveSubscriptions;
import dev.herald.hub.internal.subscriptions.SubscriptionDocument;
import dev.herald.hub.internal.subscriptions.SubscriptionRegistry;
import dev.herald.hub.internal.subscriptions.SubscriptionTopics;
import dev.herald.hub.internal.topic.TopicMatchers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
import java.util.List;
import java.util.Optional;

/**
 * The Subscription API (Mercure §"Subscription API"): {@code GET} (and {@code HEAD}) of
 * {@code {hub path}/subscriptions}, {@code …/{match_type}/{match}} and
 * {@code …/{match_type}/{match}/{subscriber}}, answered from the {@link SubscriptionRegistry}.
 *
 * <ul>
 *   <li>Authorization: a token is required, even when anonymous subscribers are accepted (they can
 *       never receive subscription events, which are private, and the API shows the same data), and
 *       one of its details must grant {@code subscribe} on the requested URL in its canonical relative
 *       form, the form of the subscription event topics; 401 and 403 as elsewhere.</li>
 *   <li>Every answer carries the listing's cursor as {@code last-event-id} on the
 *       {@code rel="mercure"} {@code Link}, with {@code type="mercure"} and
 *       {@code content-type="application/json"}; the same cursor is the {@code ETag}
 *       ({@code If-None-Match} gets 304), and {@code Cache-Control: private, must-revalidate}.</li>
 *   <li>A {@code match_type} other than {@code exact} or {@code urlpattern}: 404, before authorization
 *       (no subscription can have it). One subscription: its document, or 404 when it is not active. Collections:
 *       {@code {"id", "type": "subscriptions", "subscriptions": […]}}, with {@code "truncated": true}
 *       when the registry's listing limit cut them.</li>
 * </ul>
 *
 * <p>Thread-safe (stateless; shared by all connections).
 */
final class SubscriptionsEndpoint {

    static final String JSON = "application/json";
    static final String CACHE_CONTROL = "private, must-revalidate";
    static final String ALLOW = "GET, HEAD, OPTIONS";
    static final String EXPOSED_HEADERS = "Link, ETag, " + CorsPolicy.EXPOSED_HEADERS;
    /** The cursor before any update was dispatched (Mercure §"Subscription API"). */
    static final String EARLIEST = "earliest";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    private final ActiveSubscriptions subscriptions;
    private final String route;
    private final String hubLink;
    private final RequestAuth auth;
    private final CorsPolicy cors;
    private final boolean preOneListingNote;

    SubscriptionsEndpoint(HubConfig config, ActiveSubscriptions subscriptions, RequestAuth auth, CorsPolicy cors) {
        this.subscriptions = subscriptions;
        this.preOneListingNote = config.compat() == Compat.V0X;
        this.route = config.hubPath() + "/subscriptions";
        this.hubLink = new ResourceMetadata(config).link();
        this.auth = auth;
        this.cors = cors;
    }

    /** Whether {@code path} is one of the API's. */
    boolean handles(String path) {
        return path.startsWith(route) && (path.length() == route.length() || path.charAt(route.length()) == '/');
    }

    /** The {@code OPTIONS} answer (CORS preflight), which needs no credentials. */
    void preflight(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        FullHttpResponse r = Responses.text(HttpResponseStatus.NO_CONTENT, "");
        r.headers().set(HttpHeaderNames.ALLOW, ALLOW);
        cors.applyPreflight(req.headers(), r.headers());
        Responses.send(ctx, r, keepAlive);
    }

    /** Answers a request whose credentials were verified; on the channel's event loop. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive, AuthResult verified) {
        HttpMethod m = req.method();
        if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.HEAD)) {
            FullHttpResponse r = Responses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + m.name() + " not allowed on " + Sanitize.excerpt(path) + " (allowed: " + ALLOW + ")");
            r.headers().set(HttpHeaderNames.ALLOW, ALLOW);
            send(ctx, req, r, keepAlive);
            return;
        }
        Optional<SubscriptionTopics.Query> parsed;
        try {
            parsed = SubscriptionTopics.parse(path.substring(route.length()));
        } catch (IllegalArgumentException e) {
            send(ctx, req, Responses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()), keepAlive);
            return;
        }
        if (parsed.isEmpty()) {
            send(ctx, req, Responses.text(HttpResponseStatus.NOT_FOUND, "not found: " + Sanitize.excerpt(path)
                    + " (expected: " + route + ", " + route + "/{match_type}/{match} or " + route
                    + "/{match_type}/{match}/{subscriber})"), keepAlive);
            return;
        }
        SubscriptionTopics.Query query = parsed.get();
        if (!query.isEverything() && !TopicMatchers.SUPPORTED_TYPES.contains(query.matchType())) {
            // no subscription has another matcher type, so the path names nothing; answered before
            // authorization, like any path of the wrong shape. In compatibility mode this is also the
            // answer to the pre-1.0 listing's paths, {topic}/{subscriber} looking like {match_type}/{match}.
            send(ctx, req, Responses.text(HttpResponseStatus.NOT_FOUND, "not found: " + Sanitize.excerpt(path)
                    + " (unknown matcher type \"" + Sanitize.excerpt(query.matchType()) + "\"; expected: "
                    + String.join(" or ", TopicMatchers.SUPPORTED_TYPES) + ")"
                    + (preOneListingNote ? "; the pre-1.0 subscriptions listing ({topic}[/{subscriber}]) is not served"
                            : "")), keepAlive);
            return;
        }
        String resource = query.path(subscriptions.topics());
        try {
            auth.authorizeSubscriptions(verified, resource);
        } catch (AuthRejection f) {
            send(ctx, req, SubscribeEndpoint.authFailure(f), keepAlive);
            return;
        }
        SubscriptionRegistry.Snapshot snapshot = subscriptions.registry().query(query);
        if (query.isOne() && snapshot.documents().isEmpty()) {
            send(ctx, req, Responses.text(HttpResponseStatus.NOT_FOUND, "no active subscription "
                    + Sanitize.excerpt(resource)), keepAlive);
            return;
        }
        String cursor = snapshot.lastEventId() == null ? EARLIEST : snapshot.lastEventId();
        String etag = entityTag(cursor);
        FullHttpResponse r;
        if (matches(req.headers().get(HttpHeaderNames.IF_NONE_MATCH), etag)) {
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
        } else {
            ByteBuf body = query.isOne() ? Unpooled.wrappedBuffer(snapshot.documents().get(0).jsonBytes())
                    : collection(ctx.alloc(), resource, snapshot);
            int length = body.readableBytes();
            if (m.equals(HttpMethod.HEAD)) {
                body.release();
                body = Unpooled.EMPTY_BUFFER;
            }
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON).setInt(HttpHeaderNames.CONTENT_LENGTH, length)
                    .set("X-Content-Type-Options", "nosniff");
        }
        r.headers().set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL)
                .set("Link", SubscribeEndpoint.latin1(hubLink + "; last-event-id=" + quoted(cursor)
                        + "; type=\"mercure\"; content-type=\"application/json\""));
        send(ctx, req, r, keepAlive);
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r, boolean keepAlive) {
        cors.apply(req.headers(), r.headers(), EXPOSED_HEADERS); // pages read the cursor from Link
        Responses.send(ctx, r, keepAlive);
    }

    /** The collection document: the registry's stored documents between a head and a tail, in one buffer. */
    static ByteBuf collection(ByteBufAllocator alloc, String id, SubscriptionRegistry.Snapshot snapshot) {
        List<SubscriptionDocument> docs = snapshot.documents();
        byte[] head;
        try {
            head = ("{\"id\":" + MAPPER.writeValueAsString(id) + ",\"type\":\"subscriptions\","
                    + (snapshot.truncated() ? "\"truncated\":true," : "") + "\"subscriptions\":[")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int size = head.length + TAIL.length + Math.max(0, docs.size() - 1);
        for (SubscriptionDocument doc : docs) {
            size += doc.jsonBytes().length;
        }
        ByteBuf out = alloc.buffer(size);
        out.writeBytes(head);
        for (int i = 0; i < docs.size(); i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            out.writeBytes(docs.get(i).jsonBytes());
        }
        return out.writeBytes(TAIL);
    }

    /** An RFC 8288 quoted-string. */
    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * The cursor as an entity tag (RFC 9110 §8.8.3): characters an entity tag cannot hold (and
     * {@code %}, so the mapping stays one-to-one) percent-encoded as UTF-8; a {@code urn:uuid:} id
     * is kept as it is.
     */
    static String entityTag(String cursor) {
        StringBuilder b = new StringBuilder(cursor.length() + 2).append('"');
        for (byte x : cursor.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c > 0x20 && c < 0x7F && c != '"' && c != '%') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.append('"').toString();
    }

    /** Whether an {@code If-None-Match} value selects {@code etag} (weak comparison, RFC 9110 §13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
