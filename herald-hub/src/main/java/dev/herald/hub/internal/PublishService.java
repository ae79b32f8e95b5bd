package dev.herald.hub.internal;

import dev.herald.hub.HubConfig;
import dev.herald.hub.Update;
import dev.herald.hub.internal.dispatch.Dispatcher;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Validates and publishes updates, from HTTP and from the embedding program alike, so both obey
 * the same rules (Mercure §"Publication"). Thread-safe.
 */
public final class PublishService {

    private final UpdateRules rules;
    private final Dispatcher dispatcher;

    public PublishService(HubConfig config, TopicMatcherFactory matchers, Dispatcher dispatcher) {
        this.rules = new UpdateRules(config);
        this.dispatcher = dispatcher;
    }

    /**
     * Checks the protocol rules an update must satisfy whoever publishes it.
     *
     * @throws IllegalArgumentException with a client-safe reason
     */
    public void validate(Update update) {
        rules.check(update);
    }

    /**
     * Validates then publishes. The future completes with the event id once the update is stored
     * (see {@link #publishValidated}).
     *
     * @throws IllegalArgumentException with a client-safe reason, if the update breaks a rule
     */
    public CompletableFuture<String> publish(Update update) {
        validate(update);
        return publishValidated(update);
    }

    /**
     * Publishes an update {@link #validate} accepted. The future completes with the event id once the
     * update is in the history and on its way to subscribers, or fails with
     * {@link dev.herald.hub.HistoryUnavailableException} (not stored, not dispatched: answer 503) or
     * {@link IllegalStateException} (the hub is stopping). It may complete on the calling thread or
     * on the history writer's: dependents must not block.
     */
    public CompletableFuture<String> publishValidated(Update update) {
        // Mercure §"Publication": a generated id must be an IRI; a random UUID discloses nothing
        // about order or timing (§"Security Considerations").
        String id = update.id() != null ? update.id() : "urn:uuid:" + UUID.randomUUID();
        return dispatcher.publish(id, update.topics(), update.isPrivate(), UpdateFrames.encode(update, id),
                        update.conflationKey())
                .thenApply(sequence -> id);
    }
}
