package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {

    @Test
    void readsStatusAndChunkingAndReturnsWhereTheBodyStarts() {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: Chunked\r\n\r\n";
        byte[] b = (head + "5\r\nhello").getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split < head.length(); split++) {
            ResponseHead h = new ResponseHead();
            assertThat(h.feed(b, 0, split)).isEqualTo(-1);
            assertThat(h.feed(b, split, b.length - split)).isEqualTo(head.length() - split);
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.chunked()).isTrue();
        }
    }

    @Test
    void closeDelimitedBodyWithBareLf() {
        ResponseHead h = new ResponseHead();
        byte[] b = "HTTP/1.1 400 Bad Request\ncontent-length: 3\n\nbad".getBytes(StandardCharsets.US_ASCII);

        assertThat(h.feed(b, 0, b.length)).isEqualTo(b.length - 3);
        assertThat(h.status()).isEqualTo(400);
        assertThat(h.chunked()).isFalse();
    }

    @Test
    void refusesWhatIsNotHttp() {
        byte[] b = "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new ResponseHead().feed(b, 0, b.length)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesEndlessHeaders() {
        ResponseHead h = new ResponseHead();
        byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] status = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
        h.feed(status, 0, status.length);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                h.feed(line, 0, line.length);
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("larger than");
    }
}
