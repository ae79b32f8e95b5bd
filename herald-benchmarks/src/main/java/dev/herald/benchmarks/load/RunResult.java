package dev.herald.benchmarks.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run. Parts that were not measured are {@code null}: {@link #publishing}
 * and {@link #delivery} when nothing was published, {@link #server} and {@link #memory} when no
 * server process was given. Immutable in practice (the histograms are private copies, never
 * changed after the run); safe to share once built.
 *
 * @param label the workload name
 * @param target the kind of server
 * @param urls the base URLs
 * @param transport the client transport (epoll or nio)
 * @param generatorCores CPU cores the subscriber workers used during the window (or the idle phase)
 * @param series one point per progress tick, for memory over time
 * @param notes anything the reader must know (failures, loss, timeouts)
 */
record RunResult(String label, String target, List<String> urls, String transport, Connections connections,
                 Memory memory, Publishing publishing, Delivery delivery, Server server, double generatorCores,
                 List<Point> series, List<String> notes) {

    RunResult {
        urls = List.copyOf(urls);
        series = List.copyOf(series);
        notes = List.copyOf(notes);
    }

    /**
     * Subscriber connections.
     *
     * @param requested connections asked for
     * @param held connections that got their response headers and were open at the end of connecting
     * @param failed attempts that failed
     * @param dropped connections the server closed after they were held
     * @param workers worker processes
     * @param threadsPerWorker event loop threads per worker
     * @param connectSeconds time to connect them all
     */
    record Connections(int requested, long held, long failed, long dropped, int workers, int threadsPerWorker,
                       double connectSeconds) {
    }

    /**
     * The server's resident memory, idle: sums over the server processes (several hubs of a
     * cluster, or nginx's master and workers), and each process's share.
     *
     * @param baselineRss before any subscriber connected
     * @param idleRss after they connected and the settle time passed
     * @param perSubscriber {@code (idleRss - baselineRss) / held}; -1 when nothing was held or a
     *        server process ended before the idle reading
     * @param baselineByPid each process's part of {@code baselineRss}
     * @param idleByPid each process's part of {@code idleRss}
     */
    record Memory(long baselineRss, long idleRss, double perSubscriber, Map<Long, Long> baselineByPid,
                  Map<Long, Long> idleByPid) {

        Memory {
            baselineByPid = Collections.unmodifiableMap(new LinkedHashMap<>(baselineByPid));
            idleByPid = Collections.unmodifiableMap(new LinkedHashMap<>(idleByPid));
        }
    }

    /**
     * Publishing.
     *
     * @param rate the rate asked for, publishes per second (infinite: as fast as answered)
     * @param sent updates sent, warm-up included
     * @param okInWindow updates accepted in the window
     * @param errors updates refused or lost, warm-up included
     * @param okPerSecond accepted updates per second in the window
     * @param maxBehind the most updates due but not yet sent (publisher connections all busy)
     * @param rtt publish request round trips, microseconds
     * @param firstError the first error, or {@code null}
     */
    record Publishing(double rate, long sent, long okInWindow, long errors, double okPerSecond, long maxBehind,
                      Histogram rtt, String firstError) {
    }

    /**
     * Delivery to the subscribers in the measurement window.
     *
     * @param windowSeconds the window's length
     * @param expected updates accepted in the window times the subscribers held when it opened
     * @param received events of the window's updates received (after the drain)
     * @param arrivals events that arrived while the window was open, whatever their update
     * @param deliveredPerSecond {@code arrivals / windowSeconds}
     * @param latency publish-to-receive latency of the window's updates, microseconds
     * @param drainSeconds how long after the window the last of its events arrived (at most the drain limit)
     */
    record Delivery(double windowSeconds, long expected, long received, long arrivals, double deliveredPerSecond,
                    Histogram latency, double drainSeconds) {

        long lost() {
            return Math.max(0, expected - received);
        }
    }

    /**
     * The server's CPU and memory during the window (or the idle phase when nothing was published).
     *
     * @param cores CPU cores used on average (summed over the server processes); -1 when one ended
     * @param microsPerDelivery CPU time per event delivered in the window, microseconds; -1 when none
     *        or when a server process ended
     * @param rssStart resident memory when the window opened
     * @param rssEnd resident memory when it closed
     * @param rssMax the highest reading of the whole run
     */
    record Server(double cores, double microsPerDelivery, long rssStart, long rssEnd, long rssMax) {
    }

    /**
     * One progress tick.
     *
     * @param seconds since the run started
     * @param phase connect, settle, warmup, window or drain
     * @param held subscribers held
     * @param eventsPerSecond events received per second since the previous tick
     * @param serverRss the server's resident memory, or -1
     * @param serverCores the server's CPU cores since the previous tick, or -1
     */
    record Point(double seconds, String phase, long held, double eventsPerSecond, long serverRss, double serverCores) {
    }
}
