package dev.herald.hub.internal;

import dev.herald.hub.Update;
import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;

/**
 * Encodes an update's SSE frame (Mercure §"Subscription": {@code id}, {@code event},
 * {@code retry}, and one {@code data} line per line of the data). Done once per publish; every
 * subscriber and every replay writes these same bytes. Stateless and thread-safe.
 */
public final class UpdateFrames {

    private UpdateFrames() {
    }

    /** The frame of {@code update} under the event id {@code id}. */
    public static byte[] encode(Update update, String id) {
        SseEvent.Builder b = SseEvent.builder().id(id).type(update.type()).data(update.data());
        if (update.retry() != Update.NO_RETRY) {
            b.retry(update.retry());
        }
        return SseEncoder.encode(b.build());
    }
}
