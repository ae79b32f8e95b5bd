package dev.herald.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.client.EventSource;
import dev.herald.client.EventSourceConfig;
import dev.herald.client.EventSourceException;
import dev.herald.client.ReadyState;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the scenario tests: a fresh {@link ScriptedServer} per test, event sources closed
 * after it, and the timing and "fails the connection" rules of {@code client-scenarios.md}.
 */
public abstract class ScenarioSupport {

    /**
     * Extra upper-bound slack for slow machines, in ms: {@code -Dherald.test.timingSlackMs=…} if given,
     * else 200 ms for each unit of system load per core above 1 when the tests start (at most 1.5 s): on a
     * machine shared with other builds every thread hand-off of a reconnect waits for a core, and a
     * latency bound of 150 ms cannot be kept. The lower bound never moves; an idle machine gets none.
     */
    protected static final long TIMING_SLACK_MS = Long.getLong("herald.test.timingSlackMs", loadSlackMillis());

    protected ScriptedServer server;
    private final List<EventSource> sources = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (EventSource source : sources) {
            source.close();
        }
        server.close();
    }

    private static long loadSlackMillis() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double perCore = load / Runtime.getRuntime().availableProcessors();
        return perCore <= 1 ? 0 : Math.min(1500, Math.round((perCore - 1) * 200));
    }

    /** Connects (and closes after the test). */
    protected EventSource connect(EventSourceConfig config, Recorder recorder) {
        EventSource source = EventSource.connect(config, recorder);
        sources.add(source);
        return source;
    }

    /** Connects to {@code path} of the server with the default configuration. */
    protected EventSource connect(String path, Recorder recorder) {
        return connect(EventSourceConfig.builder(server.uri(path)).build(), recorder);
    }

    /**
     * The timing rule: from when request {@code ended} ended (server side) to when {@code next} arrived,
     * at least the reconnection time minus 10 ms, at most 1.1 times it plus 150 ms.
     */
    protected static long assertReconnectDelay(RecordedRequest ended, RecordedRequest next, long reconnectMillis) {
        return assertDelayBetween(ended, next, reconnectMillis, reconnectMillis);
    }

    /** As {@link #assertReconnectDelay}, for a wait anywhere between {@code lowMillis} and {@code highMillis}. */
    protected static long assertDelayBetween(RecordedRequest ended, RecordedRequest next, long lowMillis,
            long highMillis) {
        assertThat(ended.endedNanos()).as("request %s ended", ended).isNotZero();
        long gap = (next.arrivedNanos() - ended.endedNanos()) / 1_000_000;
        assertThat(gap).as("ms from the end of %s to the next request", ended.path())
                .isBetween(lowMillis - 10, (long) (highMillis * 1.1) + 150 + TIMING_SLACK_MS);
        return gap;
    }

    /** Asserts that no request number {@code count + 1} to {@code path} arrives within {@code wait}. */
    protected void assertNoFurtherRequest(String path, int count, Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        assertThat(server.requests(path)).as("requests to %s after %d ms", path, wait.toMillis()).hasSize(count);
    }

    /**
     * "Fails the connection": no open, no event, exactly one error, reported with the state CLOSED and of
     * {@code errorType}, then onClosed; the state stays CLOSED.
     */
    protected static <T extends EventSourceException> T assertFailed(EventSource source, Recorder recorder,
            Class<T> errorType) {
        List<Recorder.Signal> errors = recorder.await("closed", 1).isEmpty() ? List.of() : recorder.errors();
        assertThat(recorder.opens()).as("opens").isEmpty();
        assertThat(recorder.events()).as("events").isEmpty();
        assertThat(errors).as("errors").hasSize(1);
        assertThat(errors.get(0).state()).isEqualTo(ReadyState.CLOSED);
        assertThat(errors.get(0).error()).isInstanceOf(errorType);
        assertThat(recorder.signals()).extracting(Recorder.Signal::kind).containsExactly("error", "closed");
        assertThat(source.readyState()).isEqualTo(ReadyState.CLOSED);
        return errorType.cast(errors.get(0).error());
    }
}
