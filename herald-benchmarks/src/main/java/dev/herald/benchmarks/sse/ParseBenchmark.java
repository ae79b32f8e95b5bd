package dev.herald.benchmarks.sse;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.ErrorStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.StreamClosedByServerException;
import com.launchdarkly.eventsource.StreamEvent;
import com.launchdarkly.eventsource.StreamException;
import com.launchdarkly.logging.LDLogger;
import dev.herald.sse.SseEvent;
import dev.herald.sse.SseListener;
import dev.herald.sse.SseParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse throughput of Herald's {@link SseParser} against the parser of
 * {@code com.launchdarkly:okhttp-eventsource} on the same bytes: the {@link QuoteStream} (10 MiB of
 * small JSON events), read from an in-memory {@link InputStream} in {@value #CHUNK}-byte reads, as a
 * client reads a response body.
 *
 * <p>One invocation parses the whole stream; the score is per event ({@link OperationsPerInvocation}),
 * so it reads as events/s and {@code gc.alloc.rate.norm} as bytes allocated per event. MB/s is
 * events/s &times; {@value QuoteStream#EVENT_BYTES}. Every parser must deliver every event (checked
 * in {@link #checkEveryParserReadsTheSameEvents()}) and each event is handed to a {@link Blackhole}.
 * {@link CpuTime} adds the thread's CPU time, which other load on the machine barely disturbs.
 *
 * <p>okhttp-eventsource 4.1.1 has no public parser: {@code EventParser} is package-private. It is
 * measured two ways: {@link #okhttpEventParser} calls that class directly through method handles
 * (resolved once; a {@code static final} handle is inlined like a plain call), the parser alone;
 * {@link #okhttpEventSource} drives it through its public API, an {@link EventSource} whose
 * {@link ConnectStrategy} hands it the in-memory stream instead of an HTTP response.
 *
 * <p>JMH creates one instance per trial; not thread-safe, nor meant to be.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5) // okhttp-eventsource needs about five to settle
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
@OperationsPerInvocation(QuoteStream.EVENTS)
public class ParseBenchmark {

    /** Bytes per read from the stream: both parsers see the same pieces. */
    static final int CHUNK = 8192;

    private static final URI ORIGIN = URI.create("http://localhost/benchmark");
    private static final MethodHandle NEW_EVENT_PARSER;
    private static final MethodHandle NEXT_EVENT;

    static {
        try {
            Class<?> parser = Class.forName("com.launchdarkly.eventsource.EventParser");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(parser, MethodHandles.lookup());
            // EventParser(InputStream, URI origin, int readBufferSize, boolean streamEventData,
            //             Set<String> expectFields, LDLogger)
            NEW_EVENT_PARSER = lookup.findConstructor(parser, MethodType.methodType(void.class,
                            InputStream.class, URI.class, int.class, boolean.class, Set.class, LDLogger.class))
                    .asType(MethodType.methodType(Object.class,
                            InputStream.class, URI.class, int.class, boolean.class, Set.class, LDLogger.class));
            NEXT_EVENT = lookup.findVirtual(parser, "nextEvent", MethodType.methodType(StreamEvent.class))
                    .asType(MethodType.methodType(StreamEvent.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private byte[] stream;
    private final byte[] readBuffer = new byte[CHUNK];

    @Setup
    public void setUp() throws Throwable {
        stream = QuoteStream.bytes();
        checkEveryParserReadsTheSameEvents();
    }

    @Benchmark
    public void herald(Blackhole bh, CpuTime cpu) throws IOException {
        cpu.start();
        parseWithHerald(new BlackholeListener(bh));
        cpu.stop(QuoteStream.EVENTS);
    }

    @Benchmark
    public void okhttpEventParser(Blackhole bh, CpuTime cpu) throws Throwable {
        cpu.start();
        parseWithEventParser(bh::consume);
        cpu.stop(QuoteStream.EVENTS);
    }

    @Benchmark
    public void okhttpEventSource(Blackhole bh, CpuTime cpu) throws StreamException {
        cpu.start();
        parseWithEventSource(bh::consume);
        cpu.stop(QuoteStream.EVENTS);
    }

    private void parseWithHerald(SseListener listener) throws IOException {
        SseParser parser = SseParser.create(listener);
        InputStream in = new ByteArrayInputStream(stream);
        int n;
        while ((n = in.read(readBuffer, 0, CHUNK)) > 0) {
            parser.feed(readBuffer, 0, n);
        }
        parser.reset(); // end of stream
    }

    private void parseWithEventParser(Consumer<Object> sink) throws Throwable {
        Object parser = NEW_EVENT_PARSER.invokeExact((InputStream) new ByteArrayInputStream(stream), ORIGIN, CHUNK,
                false, (Set<?>) null, LDLogger.none());
        try {
            for (;;) {
                sink.accept((StreamEvent) NEXT_EVENT.invokeExact(parser));
            }
        } catch (StreamClosedByServerException endOfStream) {
            // how EventParser reports the end of the input
        }
    }

    private void parseWithEventSource(Consumer<Object> sink) throws StreamException {
        try (EventSource source = new EventSource.Builder(new InMemoryConnectStrategy(stream))
                .errorStrategy(ErrorStrategy.alwaysThrow())
                .readBufferSize(CHUNK)
                .logger(LDLogger.none())
                .build()) {
            for (;;) {
                sink.accept(source.readMessage());
            }
        } catch (StreamClosedByServerException endOfStream) {
            // the input ended; alwaysThrow() stops EventSource from reconnecting
        }
    }

    /** Fails the trial unless all three read the {@value QuoteStream#EVENTS} events identically. */
    private void checkEveryParserReadsTheSameEvents() throws Throwable {
        List<String> herald = new ArrayList<>();
        parseWithHerald(e -> herald.add(e.id() + '|' + e.type() + '|' + e.data()));
        List<String> eventParser = new ArrayList<>();
        parseWithEventParser(e -> eventParser.add(describe((MessageEvent) e)));
        List<String> eventSource = new ArrayList<>();
        parseWithEventSource(e -> eventSource.add(describe((MessageEvent) e)));

        SseEvent last = QuoteStream.event(QuoteStream.EVENTS - 1);
        String expectedLast = last.id() + '|' + last.type() + '|' + last.data();
        for (List<String> events : List.of(herald, eventParser, eventSource)) {
            if (events.size() != QuoteStream.EVENTS || !events.get(events.size() - 1).equals(expectedLast)) {
                throw new IllegalStateException("a parser read " + events.size() + " events, expected "
                        + QuoteStream.EVENTS + " ending with " + expectedLast);
            }
        }
        if (!herald.equals(eventParser) || !herald.equals(eventSource)) {
            throw new IllegalStateException("the parsers disagree on the events");
        }
    }

    private static String describe(MessageEvent e) {
        return e.getLastEventId() + '|' + e.getEventName() + '|' + e.getData();
    }

    /** Hands every event to the blackhole. */
    private static final class BlackholeListener implements SseListener {
        private final Blackhole bh;

        BlackholeListener(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onEvent(SseEvent event) {
            bh.consume(event);
        }
    }

    /** Connects every time to the same in-memory body, with no network. */
    private static final class InMemoryConnectStrategy extends ConnectStrategy {
        private final byte[] body;

        InMemoryConnectStrategy(byte[] body) {
            this.body = body;
        }

        @Override
        public Client createClient(LDLogger logger) {
            return new Client() {
                @Override
                public Result connect(String lastEventId) {
                    return new Result(new ByteArrayInputStream(body), ORIGIN, () -> { });
                }

                @Override
                public boolean awaitClosed(long timeoutMillis) {
                    return true;
                }

                @Override
                public URI getOrigin() {
                    return ORIGIN;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
