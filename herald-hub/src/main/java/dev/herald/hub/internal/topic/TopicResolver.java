package dev.herald.hub.internal.topic;

import dev.herald.hub.internal.topic.url.WhatwgUrl;
import java.util.Optional;

/**
 * Parses topics as URL references against the hub's URL (Mercure §"URL Pattern": relative topics
 * resolve against the hub's URL; a topic that cannot be parsed matches no URL pattern).
 *
 * <p>Dispatch evaluates one topic against many URL-pattern matchers in a row, so the last result is
 * remembered: an immutable entry published through a volatile field, which threads may overwrite in
 * any order without harm (a miss only costs a parse). Thread-safe.
 */
final class TopicResolver {

    private final WhatwgUrl base;
    private volatile Entry last = new Entry("", null);

    TopicResolver(WhatwgUrl base) {
        this.base = base;
    }

    WhatwgUrl base() {
        return base;
    }

    /** {@code topic} resolved against the hub's URL, or empty when it is not a URL reference. */
    Optional<WhatwgUrl> resolve(String topic) {
        Entry entry = last;
        if (entry.topic.equals(topic)) {
            return Optional.ofNullable(entry.url);
        }
        WhatwgUrl url = WhatwgUrl.parse(topic, base).orElse(null);
        last = new Entry(topic, url);
        return Optional.ofNullable(url);
    }

    private static final class Entry {
        final String topic;
        final WhatwgUrl url;

        Entry(String topic, WhatwgUrl url) {
            this.topic = topic;
            this.url = url;
        }
    }
}
