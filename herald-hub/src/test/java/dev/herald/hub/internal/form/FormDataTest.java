package dev.herald.hub.internal.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FormDataTest {

    private final FormData data = FormData.of("topic", "a", "data", "x", "topic", "b", "private", "");

    @Test
    void keepsEveryValueOfARepeatedNameInOrder() {
        assertThat(data.all("topic")).containsExactly("a", "b");
        assertThat(data.first("topic")).contains("a");
        assertThat(data.size()).isEqualTo(4);
    }

    @Test
    void distinguishesAbsentFromEmpty() {
        assertThat(data.contains("private")).isTrue();
        assertThat(data.first("private")).contains("");
        assertThat(data.contains("id")).isFalse();
        assertThat(data.first("id")).isEmpty();
        assertThat(data.all("id")).isEmpty();
    }

    @Test
    void namesAreCaseSensitiveAndInFirstAppearanceOrder() {
        assertThat(data.names()).containsExactly("topic", "data", "private");
        assertThat(data.contains("Topic")).isFalse();
    }

    @Test
    void iteratesFieldsInInputOrder() {
        assertThat(data).extracting(FormData.Field::name).containsExactly("topic", "data", "topic", "private");
    }

    @Test
    void unionAppendsTheSecondAfterTheFirstSoFirstPrefersTheFirst() {
        FormData query = FormData.of("match", "q", "last_event_id", "from-query");
        FormData body = FormData.of("match", "b", "last_event_id", "from-body");

        FormData union = FormData.union(query, body);

        assertThat(union.all("match")).containsExactly("q", "b");
        assertThat(union.first("last_event_id")).contains("from-query");
        assertThat(FormData.union(query, FormData.empty())).isSameAs(query);
        assertThat(FormData.union(FormData.empty(), body)).isSameAs(body);
    }

    @Test
    void isImmutable() {
        assertThatThrownBy(() -> data.all("topic").add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> data.fields().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> data.names().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesAnOddNumberOfStringsAndNulls() {
        assertThatThrownBy(() -> FormData.of("a")).hasMessage("namesAndValues: 1 strings (expected: an even number)");
        assertThatThrownBy(() -> new FormData.Field(null, "v")).hasMessage("name");
        assertThatThrownBy(() -> FormData.of(List.of(new FormData.Field("a", "1"))).all(null)).hasMessage("name");
    }
}
