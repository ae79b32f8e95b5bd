package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {

    private static final String BODY = "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n";

    @Test
    void decodesWhateverTheSplit() {
        byte[] b = BODY.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= b.length; split++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChunkedDecoder d = new ChunkedDecoder(out::write);
            d.write(b, 0, split);
            d.write(b, split, b.length - split);
            assertThat(out.toString(StandardCharsets.US_ASCII)).as("split at %d", split).isEqualTo("hello 0123456789");
            assertThat(d.isDone()).isTrue();
        }
    }

    @Test
    void byteByByte() {
        byte[] b = BODY.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDecoder d = new ChunkedDecoder(out::write);
        for (int i = 0; i < b.length; i++) {
            d.write(b, i, 1);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello 0123456789");
    }

    @Test
    void refusesMalformedFraming() {
        ChunkedDecoder d = new ChunkedDecoder((b, off, len) -> { });
        byte[] bad = "zz\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> d.write(bad, 0, bad.length)).isInstanceOf(IllegalStateException.class);

        ChunkedDecoder d2 = new ChunkedDecoder((b, off, len) -> { });
        byte[] noCrlf = "2\r\nabX".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> d2.write(noCrlf, 0, noCrlf.length)).isInstanceOf(IllegalStateException.class);
    }
}
