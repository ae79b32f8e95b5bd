package dev.herald.benchmarks.sse;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU time the benchmark thread spends, beside JMH's wall-clock score. The development machine
 * is shared by builds that come and go; this tells whether a slow figure came from the thread
 * waiting for a CPU (CPU time well below the measured time) or from sharing a core and its caches
 * while it ran (CPU time close to it; events per CPU-second then fall as much as events/s). JMH
 * reports both counters summed over the measurement iterations, so {@code cpuNanos / timedEvents}
 * is CPU nanoseconds per event, and {@code 1e9 * timedEvents / cpuNanos} events per CPU-second.
 * GC threads' time is not included.
 *
 * <p>One instance per benchmark thread ({@link Scope#Thread}); not thread-safe.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of the benchmark thread during timed invocations, this iteration. */
    public long cpuNanos;
    /** Events (operations) those invocations handled, this iteration. */
    public long timedEvents;

    private long start;

    @Setup(Level.Iteration)
    public void clear() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        cpuNanos = 0;
        timedEvents = 0;
    }

    /** Call first thing in the benchmark method. */
    void start() {
        start = THREADS.getCurrentThreadCpuTime();
    }

    /** Call last thing in the benchmark method. */
    void stop(int events) {
        cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        timedEvents += events;
    }
}
