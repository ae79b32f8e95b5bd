package dev.herald.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.hub.HistoryEntry;
import io.lettuce.core.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<byte[], byte[]> fields(List<String> topics) {
        Map<byte[], byte[]> body = new LinkedHashMap<>();
        body.put(b("id"), b("urn:uuid:1"));
        body.put(b("ts"), b("1700000000000"));
        body.put(b("size"), b("42"));
        body.put(b("private"), b("1"));
        body.put(b("topics"), HistoryEntry.encodeTopics(topics));
        body.put(b("frame"), b("id: urn:uuid:1\ndata: é\n\n"));
        return body;
    }

    @Test
    void anEntryDecodesFromItsStreamFields() {
        HistoryEntry e = EntryCodec.decode(new StreamMessage<>(b("k"), "17-0", fields(List.of("https://a/1", "https://a/2"))));
        assertThat(e.sequence()).isEqualTo(17);
        assertThat(e.id()).isEqualTo("urn:uuid:1");
        assertThat(e.topics()).containsExactly("https://a/1", "https://a/2");
        assertThat(e.isPrivate()).isTrue();
        assertThat(e.timestampMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(new String(e.frame(), StandardCharsets.UTF_8)).isEqualTo("id: urn:uuid:1\ndata: é\n\n");
    }

    @Test
    void entriesHeraldDidNotWriteAreRefused() {
        assertThat(EntryCodec.sequenceOf("5-0")).isEqualTo(5);
        assertThat(EntryCodec.sequenceOf("1700000000000-3")).isEqualTo(-1);
        assertThat(EntryCodec.sequenceOf("x-0")).isEqualTo(-1);
        assertThatThrownBy(() -> EntryCodec.decode(new StreamMessage<>(b("k"), "1700000000000-1", fields(List.of()))))
                .hasMessageContaining("not a Herald id");
        Map<byte[], byte[]> partial = new LinkedHashMap<>();
        partial.put(b("id"), b("x"));
        assertThatThrownBy(() -> EntryCodec.decode(new StreamMessage<>(b("k"), "3-0", partial)))
                .hasMessage("stream entry 3-0: a field is missing");
        Map<byte[], byte[]> badTopics = fields(List.of());
        badTopics.put(badTopics.keySet().stream().filter(k -> new String(k).equals("topics")).findFirst().orElseThrow(),
                new byte[] {0, 0, 0, 9});
        assertThatThrownBy(() -> EntryCodec.decode(new StreamMessage<>(b("k"), "4-0", badTopics)))
                .hasMessageContaining("stream entry 4-0: topics: bad");
    }
}
