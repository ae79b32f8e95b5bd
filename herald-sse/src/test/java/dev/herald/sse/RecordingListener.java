package dev.herald.sse;

import java.util.ArrayList;
import java.util.List;

/** Collects what a parser reports, for assertions. Not thread-safe. */
final class RecordingListener implements SseListener {
    final List<SseEvent> events = new ArrayList<>();
    final List<String> comments = new ArrayList<>();
    final List<Long> retries = new ArrayList<>();
    long retry = SseEvent.NO_RETRY;

    @Override
    public void onEvent(SseEvent event) {
        events.add(event);
    }

    @Override
    public void onRetry(long retryMillis) {
        retry = retryMillis;
        retries.add(retryMillis);
    }

    @Override
    public void onComment(String comment) {
        comments.add(comment);
    }
}
