package dev.herald.hub.internal;

import dev.herald.hub.HubConfig;
import dev.herald.hub.Update;
import dev.herald.hub.internal.topic.InvalidFieldException;
import dev.herald.hub.internal.topic.TopicRules;
import dev.herald.hub.internal.topic.TopicText;

/**
 * The protocol rules every update obeys, published over HTTP or in-process (Mercure
 * §"Publication"): topic characters, the reserved {@code *} and hub namespace, id and type
 * rules. Thread-safe (immutable).
 */
final class UpdateRules {

    private final TopicRules topics;

    UpdateRules(HubConfig config) {
        this.topics = TopicRules.of(config.publicUrl().toString());
    }

    /** @throws IllegalArgumentException naming the field and the rule */
    void check(Update update) {
        try {
            for (String topic : update.topics()) {
                topics.checkTopic(topic);
            }
            if (update.id() != null) {
                TopicRules.checkId(update.id());
            }
            if (update.type() != null) {
                TopicRules.checkType(update.type());
            }
            if (update.conflationKey() != null) {
                checkConflationKey(update.conflationKey());
            }
        } catch (InvalidFieldException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void checkConflationKey(String key) {
        String field = Update.CONFLATION_KEY_FIELD;
        if (key.isEmpty() || key.length() > Update.MAX_CONFLATION_KEY_LENGTH) {
            throw new IllegalArgumentException(field + ": " + key.length() + " characters (expected: 1 to "
                    + Update.MAX_CONFLATION_KEY_LENGTH + ")");
        }
        TopicText.violation(key).ifPresent(v -> {
            throw new IllegalArgumentException(field + ": " + v + " (expected: no control or format character)");
        });
    }
}
