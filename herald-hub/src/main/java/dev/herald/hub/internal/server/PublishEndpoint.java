package dev.herald.hub.internal.server;

import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.HubConfig;
import dev.herald.hub.Update;
import dev.herald.hub.internal.PublishService;
import dev.herald.hub.internal.auth.AuthResult;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST {hub}} (Mercure §"Publication"): reads the form, checks the fields, authorizes the
 * publisher for every topic, publishes, and answers {@code 200 text/plain} with the event id.
 *
 * <p>Thread-safe (stateless; shared by all connections).
 */
final class PublishEndpoint {

    private static final Logger log = LoggerFactory.getLogger(PublishEndpoint.class);

    private final UpdateParser parser;
    private final RequestAuth auth;
    private final PublishService publisher;
    private final CorsPolicy cors;

    PublishEndpoint(HubConfig config, RequestAuth auth, PublishService publisher, CorsPolicy cors) {
        this.cors = cors;
        this.parser = new UpdateParser(config);
        this.auth = auth;
        this.publisher = publisher;
    }

    /** Handles a publish whose credentials were verified ({@link RequestAuth#verify}). */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive, AuthResult verified) {
        Update update;
        try {
            update = parser.parse(req);
            publisher.validate(update);
        } catch (BadRequestException e) {
            cors.send(ctx, req, Responses.text(e.status(), e.getMessage()), keepAlive);
            return;
        } catch (IllegalArgumentException e) {
            cors.send(ctx, req, Responses.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()), keepAlive);
            return;
        }
        try {
            auth.authorizePublish(verified, req.headers(), update.topics());
        } catch (AuthRejection f) {
            cors.send(ctx, req, SubscribeEndpoint.authFailure(f), keepAlive);
            return;
        }
        publisher.publishValidated(update).whenComplete((id, failure) -> {
            // the 200 goes out only once the update is stored; completion may come on the history
            // writer's thread, and the response is written on the channel's own loop
            if (ctx.executor().inEventLoop()) {
                respond(ctx, req, keepAlive, id, failure);
            } else {
                try {
                    ctx.executor().execute(() -> respond(ctx, req, keepAlive, id, failure));
                } catch (RejectedExecutionException closing) {
                    // the connection's loop has stopped (the hub is shutting down): no one to answer
                }
            }
        });
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest req, boolean keepAlive, String id, Throwable failure) {
        if (failure == null) {
            cors.send(ctx, req, Responses.id(id), keepAlive);
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        FullHttpResponse r;
        if (cause instanceof HistoryUnavailableException e) {
            log.debug("publish refused: {}", e.getMessage()); // the history writer logs the outage once, not per publish
            r = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "history unavailable, retry later");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, e.retryAfter().toSeconds()));
        } else if (cause instanceof IllegalStateException) {
            r = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "hub shutting down, retry later");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
        } else {
            log.error("publish failed", cause);
            r = Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "publish failed");
        }
        cors.send(ctx, req, r, keepAlive);
    }
}
