package dev.herald.hub.internal.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicTextTest {

    @ParameterizedTest(name = "U+{0} forbidden={1}")
    @CsvSource({
            "0000, true", "0009, true", "000A, true", "001F, true", "0020, false", "007E, false",
            "007F, true", "0080, true", "0085, true", "009F, true", "00A0, false", "00AD, true",
            "061C, true", "0890, true", "0891, true", "200B, true", "200C, true", "200D, true",
            "200E, true", "202A, true", "202E, true", "2028, false", "2066, true", "2069, true",
            "FEFF, true", "FFF9, true", "FFFC, false", "FFFD, false", "13439, true", "1343F, true",
            "1D173, true", "E0001, true", "E007F, true", "1F600, false", "10FFFD, false"})
    void forbidsControlAndFormatCharactersOnly(String hex, boolean forbidden) {
        int codePoint = Integer.parseInt(hex, 16);
        String text = "a" + new String(Character.toChars(codePoint)) + "b";

        assertThat(TopicText.isForbidden(codePoint)).isEqualTo(forbidden);
        assertThat(TopicText.violation(text).isPresent()).isEqualTo(forbidden);
        if (forbidden) {
            assertThat(TopicText.violation(text).orElseThrow()).endsWith(String.format("U+%04X at index 1", codePoint));
        }
    }
}
