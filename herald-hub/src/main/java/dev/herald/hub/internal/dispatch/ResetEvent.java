package dev.herald.hub.internal.dispatch;

import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The {@code herald-reset} event: tells a subscriber, in a way a browser's {@code EventSource} can
 * see, that the history it asked for is not complete, so it must re-fetch state instead of
 * trusting that it missed nothing. Mercure defines only the {@code Mercure-Last-Event-ID}
 * response header for this, which browsers do not expose.
 *
 * <p>The event has no {@code id} field so it leaves the client's last event ID unchanged. Its data
 * is JSON: {@code {"lastEventId": <requested id or null>, "earliestEventId": <oldest id kept or null>}}.
 * Stateless and thread-safe.
 */
public final class ResetEvent {

    /** The SSE event type. */
    public static final String TYPE = "herald-reset";

    private ResetEvent() {
    }

    /** The frame for a reset, as a new heap buffer. */
    public static ByteBuf frame(String requestedId, String earliestKeptId) {
        String data = "{\"lastEventId\":" + json(requestedId) + ",\"earliestEventId\":" + json(earliestKeptId) + "}";
        return Unpooled.wrappedBuffer(SseEncoder.encode(SseEvent.of(TYPE, data)));
    }

    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
