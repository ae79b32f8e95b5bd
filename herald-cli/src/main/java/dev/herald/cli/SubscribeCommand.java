package dev.herald.cli;

import dev.herald.client.ContentTypeException;
import dev.herald.client.EventSource;
import dev.herald.client.EventSourceException;
import dev.herald.client.EventSourceListener;
import dev.herald.client.HttpStatusException;
import dev.herald.client.ReadyState;
import dev.herald.client.StreamIOException;
import dev.herald.client.mercure.MercureSubscription;
import dev.herald.sse.SseEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald subscribe}: follows a subscription through {@link MercureSubscription} and
 * {@link EventSource}, printing each update on standard output; status lines go to standard error.
 * Once connected it reconnects as a browser's {@code EventSource} does, resuming with
 * {@code Last-Event-ID}. Not thread-safe; picocli creates one per invocation.
 */
@Command(name = "subscribe",
        mixinStandardHelpOptions = true,
        description = "Follow topics on a hub and print their updates.",
        footer = {"",
                "Examples:",
                "  herald subscribe '*'                                  # every public update",
                "  herald subscribe https://example.com/books/1 --format raw",
                "  herald subscribe --match-urlpattern 'https://example.com/books/:id' \\",
                "      --format json | jq .data",
                "  herald subscribe --token \"$TOKEN\" https://example.com/users/42 \\",
                "      --last-event-id earliest                        # replay what is kept",
                "  herald subscribe '*' --count 1 --format json          # one update, then exit",
                "",
                "Exit codes: 0 done (--count reached, or the hub ended the subscription with",
                "204); 1 refused by the hub (4xx: a bad matcher, 401 token missing or refused,",
                "403); 2 bad usage; 3 hub unreachable at the first attempt; 4 hub failed (5xx)",
                "or did not answer with an event stream. Once connected, a lost connection is",
                "retried with the last event ID, as a browser's EventSource does. The hub's",
                "own events (herald-reset, herald-token-expired) go to standard error (raw:",
                "standard output) and do not count as updates."})
final class SubscribeCommand implements Callable<Integer> {

    /**
     * Event types the hub uses for its own news about a stream ({@code herald-reset}: the last event ID
     * is no longer known; {@code herald-token-expired}), which are not updates (see docs/hub.md).
     */
    static final String CONTROL_PREFIX = "herald-";

    /** How updates are printed. Immutable (an enum). */
    enum Format { PRETTY, RAW, JSON }

    @Mixin
    HubClientOptions hub;

    @Parameters(paramLabel = "TOPIC", arity = "0..*", description = "Topics to follow exactly, as --match; * for all.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--match", paramLabel = "TOPIC", description = "A topic to follow exactly (match); repeatable.")
    List<String> match = new ArrayList<>();

    @Option(names = "--match-urlpattern", paramLabel = "PATTERN",
            description = "Follow the topics matching a URL pattern (match_urlpattern); repeatable.")
    List<String> urlPatterns = new ArrayList<>();

    @Option(names = "--matcher", paramLabel = "TYPE=VALUE",
            description = "A matcher of another registered type (match_TYPE=VALUE); repeatable.")
    List<String> matchers = new ArrayList<>();

    @Option(names = "--last-event-id", paramLabel = "ID",
            description = "Start after this update (replayed from the hub's history); earliest for all it keeps.")
    String lastEventId;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "pretty",
            description = "pretty (type, id, indented JSON data), raw (text/event-stream) or json (one object per "
                    + "line: id, type, data) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit after N updates.")
    Integer count;

    @Option(names = "--read-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = Converters.DurationConverter.class,
            description = "Reconnect after this long without a byte (the hub sends keep-alives; default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Override
    public Integer call() throws InterruptedException {
        Format f = format();
        if (count != null && count <= 0) {
            throw new ConfigurationException("--count: " + count + " (expected: > 0)");
        }
        URI url = hub.hubUrl();
        String token = hub.token();
        MercureSubscription subscription = subscription(url, token);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Printer printer = new Printer(f, System.out);
        EventSource source = EventSource.connect(subscription.configBuilder().readTimeout(readTimeout).build(),
                new Listener(url, token != null, printer, done));
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } finally {
            source.close();
            System.out.flush();
        }
    }

    private Format format() {
        try {
            return Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--format: unknown format '" + format + "' (expected: pretty, raw or json)");
        }
    }

    private MercureSubscription subscription(URI url, String token) {
        try {
            MercureSubscription.Builder b = MercureSubscription.builder(url).bearerToken(token);
            topics.forEach(b::match);
            match.forEach(b::match);
            urlPatterns.forEach(b::matchUrlPattern);
            for (String m : matchers) {
                int eq = m.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigurationException("--matcher: '" + m + "' is not TYPE=VALUE (e.g. urlpattern=https://example.com/:id)");
                }
                b.match(m.substring(0, eq), m.substring(eq + 1));
            }
            if (lastEventId != null) {
                b.lastEventId(lastEventId);
            }
            return b.build();
        } catch (IllegalStateException e) {
            throw new ConfigurationException("give at least one topic to follow: a TOPIC, --match, --match-urlpattern or "
                    + "--matcher ('*' for all)");
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /**
     * Prints updates and ends the command: on {@code --count}, on a refusal, or when the first
     * attempt cannot reach the hub. Called by the event source's callbacks, one at a time.
     */
    private final class Listener implements EventSourceListener {
        private final URI url;
        private final boolean tokenGiven;
        private final Printer printer;
        private final CompletableFuture<Integer> done;
        private boolean opened;
        private int received;

        Listener(URI url, boolean tokenGiven, Printer printer, CompletableFuture<Integer> done) {
            this.url = url;
            this.tokenGiven = tokenGiven;
            this.printer = printer;
            this.done = done;
        }

        @Override
        public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
            if (printer.format == Format.PRETTY) {
                System.err.println((opened ? "reconnected to " : "subscribed to ") + source.url());
            }
            opened = true;
        }

        @Override
        public void onEvent(EventSource source, SseEvent event) {
            if (event.type().startsWith(CONTROL_PREFIX)) {
                // the hub's own events (herald-reset, herald-token-expired) are news about the stream, not updates
                if (printer.format == Format.RAW) {
                    printer.print(event);
                } else {
                    System.err.println("herald: " + event.type() + " " + event.data());
                }
                return;
            }
            printer.print(event);
            if (count != null && ++received >= count) {
                source.close(); // no callback follows: events already parsed after this one are not printed
                done.complete(0);
            }
        }

        @Override
        public void onError(EventSource source, EventSourceException error) {
            if (source.readyState() == ReadyState.CLOSED) {
                RuntimeException failure = failure(error);
                if (failure == null) {
                    done.complete(0);
                } else {
                    done.completeExceptionally(failure);
                }
            } else if (!opened && error instanceof StreamIOException io) {
                done.completeExceptionally(HubErrors.unreachable(url, io.getCause()));
            } else {
                System.err.println("herald: connection lost (" + describe(error) + "); reconnecting"
                        + (source.lastEventId().isEmpty() ? "" : " after " + source.lastEventId()));
            }
        }

        /** Why the subscription failed for good, or {@code null} when the hub ended it with 204. */
        private RuntimeException failure(EventSourceException error) {
            if (error instanceof HttpStatusException s) {
                if (s.statusCode() == 204) {
                    return null;
                }
                return HubErrors.status(url, "subscribing", s.statusCode(), tokenGiven, null);
            }
            if (error instanceof ContentTypeException c) {
                return new HubCallException(HeraldCommand.EXIT_HUB_ERROR, url + " did not answer with an event stream "
                        + "(Content-Type " + c.contentType() + "): is it the hub's URL?");
            }
            return new HubCallException(HeraldCommand.EXIT_HUB_ERROR, "subscription failed: " + describe(error));
        }

        @Override
        public void onClosed(EventSource source) {
            done.complete(0); // after a 204, or once onError completed the future with the failure
        }
    }

    private static String describe(EventSourceException e) {
        if (e instanceof StreamIOException io && io.getCause() != null) {
            IOException cause = io.getCause();
            return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
