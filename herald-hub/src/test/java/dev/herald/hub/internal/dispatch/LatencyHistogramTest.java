package dev.herald.hub.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link LatencyHistogram}: Prometheus {@code le} buckets (a value equal to a bound counts in it), sum in seconds. */
class LatencyHistogramTest {

    @Test
    void eachObservationCountsInTheFirstBucketWhoseBoundIsNotBelowIt() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(50_000);          // exactly 50 µs: the first bucket
        h.record(50_001);          // just above: the second
        h.record(3_000_000);       // 3 ms: the 5 ms bucket
        h.record(60_000_000_000L); // a minute: +Inf
        h.record(-5);              // a clock step backwards counts as 0
        double[] bounds = LatencyHistogram.upperBoundsSeconds();
        long[] counts = h.counts();
        assertThat(bounds).hasSize(counts.length);
        assertThat(bounds[bounds.length - 1]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(counts[0]).isEqualTo(2);
        assertThat(counts[1]).isEqualTo(1);
        assertThat(counts[java.util.Arrays.binarySearch(bounds, 0.005)]).isEqualTo(1);
        assertThat(counts[counts.length - 1]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(5);
        assertThat(h.sumSeconds()).isCloseTo(60.003100001, org.assertj.core.data.Offset.offset(1e-9));
    }
}
