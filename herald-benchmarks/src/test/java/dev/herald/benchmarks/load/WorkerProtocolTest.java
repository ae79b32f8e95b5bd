package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WorkerProtocolTest {

    @Test
    void specRoundTrip() {
        WorkerSpec spec = new WorkerSpec(3, 15_000, 2, 256, List.of("127.0.0.2", "127.0.0.3"), 1_700_000_000_000L,
                List.of(URI.create("http://127.0.0.1:8080/.well-known/mercure?match=a%2Fb"), URI.create("http://h:1/x")));

        assertThat(WorkerSpec.parse(spec.toArgs().toArray(String[]::new))).isEqualTo(spec);
        assertThatThrownBy(() -> WorkerSpec.parse(new String[] {"--id", "1"})).hasMessageContaining("incomplete");
    }

    @Test
    void reportLineRoundTrip() {
        Histogram h = Histograms.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            Histograms.record(h, i * 10L);
        }
        WorkerReport r = new WorkerReport(WorkerReport.REPORT, 100, 2, 1, 5000, 4000, 3900, 7, h);

        WorkerReport back = WorkerReport.parse(r.toLine());

        assertThat(back.kind()).isEqualTo(WorkerReport.REPORT);
        assertThat(List.of(back.connected(), back.failed(), back.dropped(), back.events(), back.windowReceived(),
                back.windowArrivals(), back.otherEvents())).containsExactly(100L, 2L, 1L, 5000L, 4000L, 3900L, 7L);
        assertThat(back.latency()).isEqualTo(h);
        assertThatThrownBy(() -> WorkerReport.parse("status 1 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerReport.parse("status 1 2 3 4 5 6 x -")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyHistogramIsShort() {
        assertThat(Histograms.encode(Histograms.newHistogram())).isEqualTo(Histograms.EMPTY);
        assertThat(Histograms.decode(Histograms.EMPTY).getTotalCount()).isZero();
    }

    @Test
    void loopSnapshotsAddUp() {
        Window w = new Window();
        LoopStats a = new LoopStats(w);
        LoopStats b = new LoopStats(w);
        a.onEvent(100, 1, 150); // before the window: counted, not in it
        w.open(2);
        a.onEvent(100, 2, 1100); // of the window, before it started in time
        w.startArrivals();
        a.onEvent(100, 2, 1100);
        b.onEvent(100, 3, 2100);
        b.onEvent(-1, -1, 2100); // not ours
        w.close(4);
        b.onEvent(100, 3, 5100); // late, but of the window
        b.onEvent(100, 4, 5100); // after the window

        Histogram sum = Histograms.newHistogram();
        long received = 0;
        long arrivals = 0;
        long other = 0;
        long events = 0;
        for (LoopStats.Snapshot s : List.of(a.snapshot(true), b.snapshot(true))) {
            sum.add(s.windowLatency());
            received += s.windowReceived();
            arrivals += s.windowArrivals();
            other += s.otherEvents();
            events += s.events();
        }

        assertThat(events).isEqualTo(7);
        assertThat(other).isEqualTo(1);
        assertThat(arrivals).isEqualTo(2);
        assertThat(received).isEqualTo(4);
        assertThat(sum.getTotalCount()).isEqualTo(4);
        assertThat(sum.getMaxValue()).isBetween(4990L, 5010L);
        assertThat(sum.getValueAtPercentile(50)).isBetween(995L, 1005L);
        assertThat(a.snapshot(false).intervalLatency().getTotalCount()).isZero(); // the interval restarted
    }

    @Test
    void latencyIsClamped() {
        Histogram h = Histograms.newHistogram();
        Histograms.record(h, -5);
        Histograms.record(h, Long.MAX_VALUE);

        assertThat(h.getMinValue()).isZero();
        assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(Histograms.MAX_MICROS);
    }
}
