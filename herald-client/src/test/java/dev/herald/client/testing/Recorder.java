package dev.herald.client.testing;

import org.awaitility.Awaitility;

import dev.herald.client.EventSource;
import dev.herald.client.EventSourceException;
import dev.herald.client.EventSourceListener;
import dev.herald.client.ReadyState;
import dev.herald.sse.SseEvent;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An {@link EventSourceListener} that records every callback with the state at that moment and the
 * time, and can run an action from a callback (to call {@code close()} from {@code onEvent}, say).
 * Thread-safe.
 */
public class Recorder implements EventSourceListener {

    /** One callback. {@code kind} is open, event, comment, error or closed. */
    public record Signal(String kind, ReadyState state, SseEvent event, String comment, EventSourceException error,
            String thread, long nanos) {

        @Override
        public String toString() {
            return kind + "(" + state + (event != null ? ", " + event : "") + (comment != null ? ", " + comment : "")
                    + (error != null ? ", " + error : "") + ")";
        }
    }

    private final List<Signal> signals = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<EventSource, SseEvent> onEventAction = (s, e) -> { };
    private volatile BiConsumer<EventSource, EventSourceException> onErrorAction = (s, e) -> { };

    /** Runs {@code action} at the end of every {@code onEvent}. */
    public Recorder onEventDo(BiConsumer<EventSource, SseEvent> action) {
        this.onEventAction = action;
        return this;
    }

    /** Runs {@code action} at the end of every {@code onError}. */
    public Recorder onErrorDo(BiConsumer<EventSource, EventSourceException> action) {
        this.onErrorAction = action;
        return this;
    }

    @Override
    public void onOpen(EventSource source, HttpResponse.ResponseInfo response) {
        add("open", source, null, null, null);
    }

    @Override
    public void onEvent(EventSource source, SseEvent event) {
        add("event", source, event, null, null);
        onEventAction.accept(source, event);
    }

    @Override
    public void onComment(EventSource source, String comment) {
        add("comment", source, null, comment, null);
    }

    @Override
    public void onError(EventSource source, EventSourceException error) {
        add("error", source, null, null, error);
        onErrorAction.accept(source, error);
    }

    @Override
    public void onClosed(EventSource source) {
        add("closed", source, null, null, null);
    }

    private void add(String kind, EventSource source, SseEvent event, String comment, EventSourceException error) {
        signals.add(new Signal(kind, source.readyState(), event, comment, error, Thread.currentThread().getName(),
                System.nanoTime()));
    }

    public List<Signal> signals() {
        return List.copyOf(signals);
    }

    public List<Signal> signals(String kind) {
        List<Signal> result = new ArrayList<>();
        for (Signal s : signals) {
            if (s.kind().equals(kind)) {
                result.add(s);
            }
        }
        return result;
    }

    public List<SseEvent> events() {
        List<SseEvent> result = new ArrayList<>();
        for (Signal s : signals("event")) {
            result.add(s.event());
        }
        return result;
    }

    /** The data of every event, in order. */
    public List<String> data() {
        List<String> result = new ArrayList<>();
        for (SseEvent e : events()) {
            result.add(e.data());
        }
        return result;
    }

    public List<Signal> errors() {
        return signals("error");
    }

    public List<Signal> opens() {
        return signals("open");
    }

    /** Waits up to 5 s for at least {@code n} events; returns them. */
    public List<SseEvent> awaitEvents(int n) {
        return awaitEvents(n, Duration.ofSeconds(5));
    }

    public List<SseEvent> awaitEvents(int n, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(2)).until(() -> events().size() >= n);
        return events();
    }

    /** Waits up to 5 s for at least {@code n} callbacks of {@code kind}; returns them. */
    public List<Signal> await(String kind, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> signals(kind).size() >= n);
        return signals(kind);
    }
}
