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
