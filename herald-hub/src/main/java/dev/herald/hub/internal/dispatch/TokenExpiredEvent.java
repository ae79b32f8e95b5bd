package dev.herald.hub.internal.dispatch;

import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Instant;

/**
 * The {@code herald-token-expired} event: the last thing a stream opened with an access token
 * receives when the hub closes it at the token's {@code exp} (Mercure §"Subscribers": closed no
 * later than {@code exp}). It tells the client, in a way a browser's {@code EventSource} can see,
 * that it must obtain a fresh token (for a cookie: have its application renew the cookie) before
 * it reconnects; otherwise the reconnection is refused with 401.
 *
 * <p>The event has no {@code id} field, so the client's last event ID is unchanged and the
 * reconnection with a fresh token replays everything published since. Its data is JSON:
 * {@code {"exp": <the token's exp, in seconds since the epoch>}}. Stateless and thread-safe.
 */
public final class TokenExpiredEvent {

    /** The SSE event type. */
    public static final String TYPE = "herald-token-expired";

    private TokenExpiredEvent() {
    }

    /** The frame for a token that expired at {@code exp}, as a new heap buffer. */
    public static ByteBuf frame(Instant exp) {
        return Unpooled.wrappedBuffer(SseEncoder.encode(SseEvent.of(TYPE, "{\"exp\":" + exp.getEpochSecond() + "}")));
    }
}
