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
import io.netty.handler.codec.http.HttpResponseStatus;
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
        String id;
        try {
            id = publisher.publishValidated(update);
        } catch (HistoryUnavailableException e) {
            log.warn("publish refused: {}", e.getMessage());
            FullHttpResponse r = Responses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "history unavailable, retry later");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, e.retryAfter().toSeconds()));
            cors.send(ctx, req, r, keepAlive);
            return;
        }
        cors.send(ctx, req, Responses.id(id), keepAlive);
    }
}
