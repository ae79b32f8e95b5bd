package dev.herald.hub.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conflation on an embedded channel, step by step (see {@link ConflatedStream} for the script
 * language): what a client that reads when the script says gets, and in what order.
 */
class ConflationTest {

    private static final double NO_RATE = ConflationOptions.NO_RATE_LIMIT;

    static Stream<Arguments> congestion() {
        return Stream.of(
                Arguments.of("a reading client gets every update as it comes",
                        "a:1 a:2 _:3 b:4", "a:1 a:2 _:3 b:4"),
                Arguments.of("while congested, only the newest update of each key is kept",
                        "read:0 a:1 a:2 a:3 read:all", "a:3"),
                Arguments.of("held updates go out in the order of their newest value",
                        "read:0 a:1 b:2 a:3 c:4 b:5 read:all", "a:3 c:4 b:5"),
                Arguments.of("updates without a key are never dropped and keep their place",
                        "read:0 _:1 a:2 _:3 a:4 _:5 read:all", "_:1 _:3 a:4 _:5"),
                Arguments.of("what was written before the congestion stays written",
                        "a:1 read:0 a:2 a:3 read:all", "a:1 a:3"),
                Arguments.of("a partial read writes the oldest first, then the rest when the client reads again",
                        "read:0 a:1 b:2 c:3 read:1 read:all", "a:1 b:2 c:3"),
                Arguments.of("a round in progress is frozen: a newer value of one of its keys waits for the next round",
                        "read:0 a:1 b:2 c:3 read:2 c:4 a:5 read:all", "a:1 b:2 c:3 c:4 a:5"),
                Arguments.of("what arrives during a round conflates for the next one",
                        "read:0 a:1 b:2 read:1 b:3 b:4 c:5 b:6 read:all", "a:1 b:2 c:5 b:6"),
                Arguments.of("once everything held is written, updates pass straight through again",
                        "read:0 a:1 a:2 read:all a:3 a:4", "a:2 a:3 a:4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("congestion")
    void congestedStream(String behaviour, String script, String expected) {
        ConflatedStream stream = new ConflatedStream(NO_RATE, 100).run(script);

        assertThat(stream.writtenText()).isEqualTo(expected);
        assertThat(stream.closeAndCheckReleased()).as("every frame released").isTrue();
    }

    static Stream<Arguments> rateCap() {
        return Stream.of(
                Arguments.of("the first update goes out at once, the next when the rate allows, newest value",
                        "a:1 a:2 a:3 +99ms a:4 +1ms", "a:1 a:4"),
                Arguments.of("at 10 per second, one key ticking every 10 ms gets one value per 100 ms",
                        "a:1 +10ms a:2 +10ms a:3 +80ms a:4 +50ms a:5 +50ms", "a:1 a:3 a:5"),
                Arguments.of("a round carries every key held and is admitted whole; its debt delays the next",
                        "a:1 b:2 c:3 d:4 +100ms e:5 +100ms +100ms", "a:1 b:2 c:3 d:4"),
                Arguments.of("the debt paid, the next round goes",
                        "a:1 b:2 c:3 d:4 +100ms e:5 +300ms", "a:1 b:2 c:3 d:4 e:5"),
                Arguments.of("updates without a key are not counted and not held back when nothing is ahead of them",
                        "a:1 _:2 _:3 _:4", "a:1 _:2 _:3 _:4"),
                Arguments.of("an update without a key waits behind an older held update, never overtakes it",
                        "a:1 a:2 _:3 +100ms", "a:1 a:2 _:3"),
                Arguments.of("an update without a key at the head goes out although the bucket is empty",
                        "a:1 b:2 c:3 +100ms _:4 d:5", "a:1 b:2 c:3 _:4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rateCap")
    void rateCappedStream(String behaviour, String script, String expected) {
        ConflatedStream stream = new ConflatedStream(10, 100).run(script);

        assertThat(stream.writtenText()).isEqualTo(expected);
        assertThat(stream.closeAndCheckReleased()).as("every frame released").isTrue();
    }

    @Test
    void aRoundCarriesEveryKeyHeldAtOnceAndItsDebtSilencesTheStreamForAsLong() {
        // fifty keys at one update per second: the documented bound is burst + rate × T plus one round
        ConflatedStream stream = new ConflatedStream(1, 100).run(ticks(1, 100));
        assertThat(stream.written()).as("the first at once, the rest held").containsExactly("k0:1");

        stream.run("+1000ms");
        assertThat(stream.written()).as("a second later, one round of all fifty keys, their newest values")
                .hasSize(51).endsWith("k49:100");

        stream.run(ticks(101, 150) + " +48000ms");
        assertThat(stream.written()).as("48 s after it, its debt of 49 is not paid yet").hasSize(51);
        stream.run("+1000ms");
        assertThat(stream.written()).as("paid, but the next round needs a token").hasSize(51);
        stream.run("+1000ms");
        // 100 updates with a key from 1 s to 51 s: the bound, 1 + 1 × 50 + 50 (one round), less one
        assertThat(stream.written()).as("50 s after the first round, the second").hasSize(101).endsWith("k49:150");
        assertThat(stream.closeAndCheckReleased()).isTrue();
    }

    /** Updates {@code from} to {@code to} on fifty keys in turn, as a script: {@code k0:from k1:from+1 …}. */
    private static String ticks(int from, int to) {
        StringBuilder script = new StringBuilder();
        for (int sequence = from; sequence <= to; sequence++) {
            script.append(" k").append((sequence - 1) % 50).append(':').append(sequence);
        }
        return script.toString();
    }

    @Test
    void congestionAndRateCapTogether() {
        ConflatedStream stream = new ConflatedStream(10, 100).run("a:1 read:0 a:2 b:3 +100ms");
        assertThat(stream.writtenText()).as("congested: the token waits").isEqualTo("a:1");

        stream.run("a:4 read:all");

        assertThat(stream.writtenText()).isEqualTo("a:1 b:3 a:4");
        assertThat(stream.closeAndCheckReleased()).isTrue();
    }

    @Test
    void keysBeyondTheLimitAreQueuedWithoutConflation() {
        ConflatedStream stream = new ConflatedStream(NO_RATE, 2).run("read:0 a:1 b:2 c:3 c:4 a:5 b:6 c:7");

        assertThat(stream.conflation().heldCount()).isEqualTo(5); // a and b conflate; c's three are queued
        assertThat(stream.conflation().heldUnkeyedBytes()).isEqualTo(3 * "c:3\n".length());

        stream.run("read:all");
        assertThat(stream.writtenText()).isEqualTo("c:3 c:4 a:5 b:6 c:7");
        assertThat(stream.closeAndCheckReleased()).isTrue();
    }

    @Test
    void replacedUpdatesAreCounted() {
        ConflatedStream stream = new ConflatedStream(NO_RATE, 100).run("read:0 a:1 a:2 a:3 b:4 read:all");

        assertThat(stream.stats().conflatedCount()).isEqualTo(2);
        assertThat(stream.stats().deliveredCount()).isEqualTo(2);
        assertThat(stream.closeAndCheckReleased()).isTrue();
    }

    @Test
    void closingReleasesEverythingHeld() {
        ConflatedStream stream = new ConflatedStream(NO_RATE, 100).run("read:0 a:1 b:2 _:3 read:1 a:4");

        assertThat(stream.conflation().heldCount()).isEqualTo(3); // b:2 and _:3 in the round, a:4 next

        assertThat(stream.closeAndCheckReleased()).isTrue();
    }
}
