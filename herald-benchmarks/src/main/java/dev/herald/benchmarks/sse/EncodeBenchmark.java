package dev.herald.benchmarks.sse;

import dev.herald.sse.SseEncoder;
import dev.herald.sse.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
 * Encode throughput of {@link SseEncoder} on the {@link QuoteStream} events, into one reused buffer
 * (as a hub encodes once and shares the bytes) and as a fresh {@code byte[]} per event, against the
 * usual hand-written encoding: a {@link StringBuilder}, a regex split of the data into lines, and
 * {@link String#getBytes}.
 *
 * <p>One invocation encodes all {@value QuoteStream#EVENTS} events; the score is per event, so it
 * reads as events/s, MB/s is events/s &times; {@value QuoteStream#EVENT_BYTES}, and
 * {@code gc.alloc.rate.norm} is bytes allocated per event. All three must write exactly the stream's
 * bytes (checked in {@link #setUp()}). {@link CpuTime} adds the thread's CPU time.
 *
 * <p>JMH creates one instance per trial; not thread-safe, nor meant to be.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
@OperationsPerInvocation(QuoteStream.EVENTS)
public class EncodeBenchmark {

    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    private SseEvent[] events;
    private ByteBuffer out;

    @Setup
    public void setUp() {
        events = QuoteStream.events();
        byte[] expected = QuoteStream.bytes();
        out = ByteBuffer.allocate(expected.length);

        heraldIntoBuffer(new CpuTime());
        check("heraldIntoBuffer", out.array(), expected);
        ByteArrayOutputStream perEvent = new ByteArrayOutputStream(expected.length);
        ByteArrayOutputStream naive = new ByteArrayOutputStream(expected.length);
        for (SseEvent e : events) {
            perEvent.writeBytes(SseEncoder.encode(e));
            naive.writeBytes(naive(e));
        }
        check("heraldToBytes", perEvent.toByteArray(), expected);
        check("naiveStringBuilder", naive.toByteArray(), expected);
    }

    @Benchmark
    public ByteBuffer heraldIntoBuffer(CpuTime cpu) {
        cpu.start();
        ByteBuffer buffer = out;
        buffer.clear();
        for (SseEvent e : events) {
            SseEncoder.encode(e, buffer);
        }
        cpu.stop(QuoteStream.EVENTS);
        return buffer;
    }

    @Benchmark
    public void heraldToBytes(Blackhole bh, CpuTime cpu) {
        cpu.start();
        for (SseEvent e : events) {
            bh.consume(SseEncoder.encode(e));
        }
        cpu.stop(QuoteStream.EVENTS);
    }

    @Benchmark
    public void naiveStringBuilder(Blackhole bh, CpuTime cpu) {
        cpu.start();
        for (SseEvent e : events) {
            bh.consume(naive(e));
        }
        cpu.stop(QuoteStream.EVENTS);
    }

    /** The straightforward encoding, with the same checks and line splitting as SseEncoder's. */
    static byte[] naive(SseEvent e) {
        StringBuilder sb = new StringBuilder();
        if (e.comment() != null) {
            for (String line : LINE_BREAK.split(e.comment(), -1)) {
                sb.append(": ").append(line).append('\n');
            }
        }
        if (e.id() != null) {
            sb.append("id: ").append(singleLine("id", e.id())).append('\n');
        }
        if (e.type() != null) {
            sb.append("event: ").append(singleLine("type", e.type())).append('\n');
        }
        if (e.retry() != SseEvent.NO_RETRY) {
            sb.append("retry: ").append(e.retry()).append('\n');
        }
        if (e.data() != null) {
            for (String line : LINE_BREAK.split(e.data(), -1)) {
                sb.append("data: ").append(line).append('\n');
            }
        }
        if (e.id() != null || e.type() != null || e.retry() != SseEvent.NO_RETRY || e.data() != null) {
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String singleLine(String field, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must not contain CR, LF or NUL");
        }
        return value;
    }

    private static void check(String benchmark, byte[] actual, byte[] expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new IllegalStateException(benchmark + " does not write the stream's bytes");
        }
    }
}
