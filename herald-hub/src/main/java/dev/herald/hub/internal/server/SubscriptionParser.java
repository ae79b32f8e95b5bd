package dev.herald.hub.internal.server;

import dev.herald.hub.Compat;
import dev.herald.hub.HubConfig;
import dev.herald.hub.internal.dispatch.ConflationOptions;
import dev.herald.hub.internal.form.FormData;
import dev.herald.hub.internal.form.FormException;
import dev.herald.hub.internal.form.FormParser;
import dev.herald.hub.internal.topic.InvalidSubscriptionException;
import dev.herald.hub.internal.topic.SubscriptionRequest;
import dev.herald.hub.internal.topic.SubscriptionRequestParser;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicMatcherFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.List;

/**
 * Reads a subscription's matchers, {@code last_event_id} and conflation parameters
 * ({@link ConflationParameters}) from the query component and, for a {@code QUERY} request, the
 * form body too (Mercure §"Subscription": the union of both); in pre-1.0 compatibility mode also
 * {@code topic} selectors and {@code lastEventID}. Thread-safe.
 */
final class SubscriptionParser {

    /** Non-matcher parameters tolerated besides the matchers (e.g. {@code last_event_id}, cache busters). */
    static final int EXTRA_FIELDS = 32;

    private final FormParser queryParser;
    private final FormParser bodyParser;
    private final SubscriptionRequestParser parser;
    private final int maxConflationKeys;

    SubscriptionParser(HubConfig config, TopicMatcherFactory matchers) {
        int maxFields = config.maxMatchers() + EXTRA_FIELDS;
        this.queryParser = FormParser.of(maxFields, config.maxRequestLineLength());
        this.bodyParser = FormParser.of(maxFields, maxFields * (config.maxTopicLength() * 3 + 32));
        this.parser = SubscriptionRequestParser.of(matchers, config.maxMatchers(), config.compat() == Compat.V0X);
        this.maxConflationKeys = config.maxConflationKeys();
    }

    /**
     * A subscription's matchers, the {@code last_event_id} parameter (or {@code null}) and what it
     * asked of conflation ({@code null} for plain delivery).
     */
    record Subscription(List<TopicMatcher> matchers, String lastEventId, ConflationOptions conflation) {
    }

    Subscription parse(FullHttpRequest req) throws BadRequestException {
        String uri = req.uri();
        int q = uri.indexOf('?');
        int hash = uri.indexOf('#');
        String query = q < 0 ? "" : uri.substring(q + 1, hash > q ? hash : uri.length());
        try {
            FormData fromQuery = queryParser.parse(query);
            FormData fromBody = req.content().isReadable() && HubHandler.QUERY.equals(req.method())
                    ? bodyParser.parse(req.content().nioBuffer()) : FormData.empty();
            SubscriptionRequest r = parser.parse(fromQuery, fromBody);
            ConflationOptions conflation = ConflationParameters.parse(FormData.union(fromQuery, fromBody),
                    maxConflationKeys);
            return new Subscription(r.matchers(), r.lastEventId().orElse(null), conflation);
        } catch (FormException | InvalidSubscriptionException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
