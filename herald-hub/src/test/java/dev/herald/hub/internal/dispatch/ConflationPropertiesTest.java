package dev.herald.hub.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the order of updates, congestion and time, a conflating stream writes strictly increasing
 * sequences (so event ids keep increasing), loses no update without a key, ends with the newest value
 * of every key, and releases every frame.
 */
class ConflationPropertiesTest {

    @Property(tries = 300)
    void ordersKeepsAndEndsCurrent(@ForAll("steps") List<String> steps, @ForAll("rates") double rate,
                                   @ForAll("keyLimits") int maxKeys) {
        ConflatedStream stream = new ConflatedStream(rate, maxKeys);
        Map<String, Long> newest = new HashMap<>();
        List<String> unkeyed = new ArrayList<>();
        long sequence = 0;
        for (String step : steps) {
            if (step.length() == 1) { // a key, or "_"
                sequence++;
                stream.run(step + ":" + sequence);
                if (step.equals("_")) {
                    unkeyed.add("_:" + sequence);
                } else {
                    newest.put(step, sequence);
                }
            } else {
                stream.run(step);
            }
        }
        stream.run("read:all +100000ms");

        List<Long> sequences = stream.written().stream().map(w -> Long.parseLong(w.substring(2))).toList();
        assertThat(sequences).as("strictly increasing").isSorted().doesNotHaveDuplicates();
        assertThat(stream.written().stream().filter(w -> w.startsWith("_"))).as("nothing without a key lost")
                .containsExactlyElementsOf(unkeyed);
        Map<String, Long> lastWritten = new HashMap<>();
        for (String w : stream.written()) {
            lastWritten.put(w.substring(0, 1), Long.parseLong(w.substring(2)));
        }
        lastWritten.remove("_");
        assertThat(lastWritten).as("the newest value of every key, last").isEqualTo(newest);
        assertThat(stream.conflation().heldCount()).isZero();
        assertThat(stream.closeAndCheckReleased()).isTrue();
    }

    /**
     * The documented rate cap, in every window of a run on many keys: from any moment to any later one
     * {@code T} seconds apart, at most {@code max(1, rate / 20) + rate × T} updates with a key plus one
     * round, which holds at most one update per key held.
     */
    @Property(tries = 300)
    void theRateCapHoldsInEveryWindow(@ForAll("manyKeySteps") List<String> steps, @ForAll("caps") double rate) {
        int keys = 50;
        ConflatedStream stream = new ConflatedStream(rate, 2 * keys);
        List<long[]> marks = new ArrayList<>(); // after each step: {mock time in ms, updates with a key written}
        marks.add(new long[] {0, 0});
        long now = 0;
        long sequence = 0;
        for (String step : steps) {
            if (step.startsWith("+")) {
                now += Long.parseLong(step.substring(1, step.length() - 2));
                stream.run(step);
            } else if (step.startsWith("read:")) {
                stream.run(step);
            } else {
                stream.run(step + ":" + ++sequence);
            }
            marks.add(new long[] {now, stream.written().stream().filter(w -> w.startsWith("k")).count()});
        }
        double burst = Math.max(1, rate / 20);
        String worst = null;
        double worstExcess = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < marks.size(); i++) {
            for (int j = i + 1; j < marks.size(); j++) {
                double seconds = (marks.get(j)[0] - marks.get(i)[0]) / 1000.0;
                long written = marks.get(j)[1] - marks.get(i)[1];
                double excess = written - (burst + rate * seconds + keys);
                if (excess > worstExcess) {
                    worstExcess = excess;
                    worst = written + " updates with a key from " + marks.get(i)[0] + " ms to " + marks.get(j)[0]
                            + " ms at " + rate + "/s";
                }
            }
        }
        assertThat(worstExcess).as(worst).isLessThanOrEqualTo(1e-6);
        assertThat(stream.closeAndCheckReleased()).isTrue();
    }

    @Provide
    Arbitrary<List<String>> manyKeySteps() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(0, 49).map(k -> "k" + k)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("_")),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("read:0", "read:5", "read:all")),
                        net.jqwik.api.Tuple.of(3, Arbitraries.of("+1ms", "+30ms", "+250ms", "+1000ms", "+4000ms")))
                .list().ofMinSize(50).ofMaxSize(400);
    }

    @Provide
    Arbitrary<Double> caps() {
        return Arbitraries.of(0.5, 1.0, 4.0, 25.0, 1000.0);
    }

    @Provide
    Arbitrary<List<String>> steps() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(8, Arbitraries.of("a", "b", "c", "d", "_")),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("read:0", "read:1", "read:2", "read:all")),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of("+1ms", "+50ms", "+150ms")))
                .list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<Double> rates() {
        return Arbitraries.of(ConflationOptions.NO_RATE_LIMIT, 10.0, 1000.0);
    }

    @Provide
    Arbitrary<Integer> keyLimits() {
        return Arbitraries.of(1, 2, 100);
    }
}
