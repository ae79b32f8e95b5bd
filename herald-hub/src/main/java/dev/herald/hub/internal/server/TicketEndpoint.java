package dev.herald.hub.internal.server;

import dev.herald.hub.internal.auth.AuthResult;
import dev.herald.hub.internal.auth.StreamTickets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST {hub}/tickets}: trades the subscriber token of the request ({@code Authorization}
 * header, or the cookie from an allowed origin) for a single-use stream ticket, answered
 * {@code 200 application/json} as {@code {"ticket":"…","expires_in":30}} with
 * {@code Cache-Control: no-store} (like an OAuth token response, RFC 6749 §5.1). No token → 401; a
 * bound reached → 429 (per subject) or 503 (whole hub) with {@code Retry-After}; the cluster's ticket
 * store unavailable ({@link dev.herald.hub.TicketStore}) → 503 with {@code Retry-After}, since a ticket
 * only this hub could redeem would fail behind a load balancer. The request body, if any, is ignored. A Herald extension; see {@code docs/hub.md}, "Stream tickets".
 *
 * <p>Thread-safe (stateless; shared by all connections).
 */
final class TicketEndpoint {

    /** The path below the hub's: inside its reserved namespace, so no topic can be mistaken for it. */
    static final String PATH = "/tickets";
    static final String ALLOW = "POST, OPTIONS";
    private static final Logger log = LoggerFactory.getLogger(TicketEndpoint.class);

    private final RequestAuth auth;
    private final CorsPolicy cors;

    TicketEndpoint(RequestAuth auth, CorsPolicy cors) {
        this.auth = auth;
        this.cors = cors;
    }

    /** Handles a ticket request whose credentials were verified ({@link RequestAuth#verify}). */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive, AuthResult verified) {
        CompletableFuture<StreamTickets.Issue> issue;
        try {
            issue = auth.issueTicket(verified, req.headers());
        } catch (AuthRejection f) {
            cors.send(ctx, req, SubscribeEndpoint.authFailure(f), keepAlive);
            return;
        }
        OnLoop.whenDone(ctx, req, issue, (issued, failure) -> {
            if (failure != null) { // no ticket rather than one no other hub could redeem
                log.debug("stream ticket not issued: {}", failure.getMessage());
                cors.send(ctx, req, Responses.unavailable(failure,
                        "stream tickets cannot be issued now (ticket store unavailable), retry later"), keepAlive);
            } else {
                respond(ctx, req, keepAlive, issued);
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive, StreamTickets.Issue issue) {
        if (issue.refusal() != null) {
            boolean subject = issue.refusal() == StreamTickets.Refusal.SUBJECT_LIMIT;
            FullHttpResponse r = Responses.text(subject ? HttpResponseStatus.TOO_MANY_REQUESTS
                    : HttpResponseStatus.SERVICE_UNAVAILABLE, subject
                    ? "too many stream tickets requested with this token's subject, retry later"
                    : "too many stream tickets requested, retry later");
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, ConnectionLimits.RETRY_AFTER_SECONDS);
            cors.send(ctx, req, r, keepAlive);
            return;
        }
        long seconds = Math.max(1, Duration.between(Instant.now(), issue.expiresAt()).toSeconds());
        // the ticket is unpadded base64url: nothing in it needs JSON escaping
        ByteBuf body = Unpooled.copiedBuffer("{\"ticket\":\"" + issue.ticket() + "\",\"expires_in\":" + seconds + "}\n",
                StandardCharsets.US_ASCII);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        cors.send(ctx, req, r, keepAlive);
    }
}
