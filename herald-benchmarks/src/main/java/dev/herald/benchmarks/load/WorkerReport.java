package dev.herald.benchmarks.load;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A worker's counts at a moment, as one line of its standard output:
 * {@code <kind> <connected> <failed> <dropped> <events> <windowReceived> <windowArrivals> <other> <histogram>},
 * where kind is {@code status} (every second; the histogram holds the latencies since the previous
 * status) or {@code report} (on request; the histogram holds the window's latencies). Immutable and
 * thread-safe (the histogram is not shared once made).
 *
 * @param kind {@link #STATUS} or {@link #REPORT}
 * @param connected connections that got their response headers
 * @param failed attempts that failed
 * @param dropped connections closed after they were held
 * @param events events received, all of them
 * @param windowReceived events of the window's publish sequences received
 * @param windowArrivals events that arrived while the window was open
 * @param otherEvents events without the generator's timestamp
 * @param latency interval (status) or window (report) latencies in microseconds
 */
record WorkerReport(String kind, long connected, long failed, long dropped, long events, long windowReceived,
                    long windowArrivals, long otherEvents, Histogram latency) {

    static final String STATUS = "status";
    static final String REPORT = "report";

    /** Adds up the loops' snapshots of one worker. */
    static WorkerReport of(String kind, SubscriberPool pool, List<LoopStats.Snapshot> loops) {
        long events = 0;
        long received = 0;
        long arrivals = 0;
        long other = 0;
        Histogram h = Histograms.newHistogram();
        for (LoopStats.Snapshot s : loops) {
            events += s.events();
            received += s.windowReceived();
            arrivals += s.windowArrivals();
            other += s.otherEvents();
            h.add(REPORT.equals(kind) ? s.windowLatency() : s.intervalLatency());
        }
        return new WorkerReport(kind, pool.connectedCount(), pool.failedCount(), pool.droppedCount(), events, received,
                arrivals, other, h);
    }

    String toLine() {
        return kind + ' ' + connected + ' ' + failed + ' ' + dropped + ' ' + events + ' ' + windowReceived + ' '
                + windowArrivals + ' ' + otherEvents + ' ' + Histograms.encode(latency);
    }

    /** @throws IllegalArgumentException when {@code line} is not a report line */
    static WorkerReport parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 9 || !(STATUS.equals(f[0]) || REPORT.equals(f[0]))) {
            throw new IllegalArgumentException("not a worker report line: " + excerpt(line));
        }
        try {
            return new WorkerReport(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]),
                    Histograms.decode(f[8]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed worker report line: " + excerpt(line), e);
        }
    }

    private static String excerpt(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
