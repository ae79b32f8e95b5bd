package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The public topics encoding stores and transports keep topics in. */
class HistoryEntryTopicsTest {

    @Test
    void topicsRoundTripWhateverCharactersTheyHold() {
        List<String> topics = List.of("https://a/1", "", "line\nbreak", "tab\tand ünïcødé 🚀");
        assertThat(HistoryEntry.decodeTopics(HistoryEntry.encodeTopics(topics))).isEqualTo(topics);
        assertThat(HistoryEntry.decodeTopics(HistoryEntry.encodeTopics(List.of()))).isEmpty();
    }

    @Test
    void damagedEncodingsAreRefused() {
        assertThatThrownBy(() -> HistoryEntry.decodeTopics(new byte[] {0, 0, 0, 9})).hasMessageStartingWith("topics: bad");
        assertThatThrownBy(() -> HistoryEntry.decodeTopics(new byte[] {0, 0})).hasMessage("topics: truncated");
    }
}
