package dev.herald.hub.internal.server;

import dev.herald.hub.HubConfig;
import dev.herald.hub.internal.topic.TopicMatchers;

/** Builds the hub's topic matcher factory from its configuration. Stateless and thread-safe. */
final class Matchers {

    private Matchers() {
    }

    /** URL patterns resolve relative parts against the hub's public URL (Mercure §"URL Pattern"). */
    static TopicMatchers factory(HubConfig config) {
        return TopicMatchers.of(config.publicUrl().toString(), config.maxTopicLength(), TopicMatchers.DEFAULT_CACHE_SIZE);
    }
}
