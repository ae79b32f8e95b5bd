package dev.herald.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static RunResult result() {
        Histogram lat = Histograms.newHistogram();
        Histograms.record(lat, 1500);
        return new RunResult("W2 \"fan-out\"", "herald", List.of("http://127.0.0.1:8080/.well-known/mercure"), "epoll",
                new RunResult.Connections(1000, 1000, 0, 0, 2, 1, 1.5),
                new RunResult.Memory(100L << 20, 110L << 20, 10485.76, pids(50L << 20, 50L << 20),
                        pids(54L << 20, 56L << 20)),
                new RunResult.Publishing(1000, 35_000, 30_000, 0, 1000, 3, Histograms.newHistogram(), null),
                new RunResult.Delivery(30, 30_000_000, 29_999_000, 29_000_000, 966_666.7, lat, 1.0),
                new RunResult.Server(1.2, 1.24, 110L << 20, 111L << 20, 112L << 20), 0.8,
                List.of(new RunResult.Point(1.0, "connect", 10, 0, 1 << 20, 0.5)), List.of("1000 lost"));
    }

    private static Map<Long, Long> pids(long first, long second) {
        Map<Long, Long> m = new LinkedHashMap<>();
        m.put(101L, first);
        m.put(102L, second);
        return m;
    }

    @Test
    void textTable() {
        String text = Report.text(result());

        assertThat(text).contains("1,000 of 1,000").contains("10.2 KiB per subscriber").contains("lost 1,000")
                .contains("p99 1.50 ms").contains("101 54.0 MiB (50.0 MiB), 102 56.0 MiB (50.0 MiB)").contains("1.24 us per delivery").contains("note                   1000 lost");
    }

    @Test
    void jsonHasOneMemberPerLine() {
        String json = JsonReport.json(result());

        assertThat(json).startsWith("{\n").endsWith("\n}\n")
                .contains("\n  \"label\": \"W2 \\\"fan-out\\\"\",\n")
                .contains("\n  \"rss_per_subscriber_bytes\": 10486,\n")
                .contains("\n  \"delivered_per_second\": 966666.7000,\n")
                .contains("\n  \"lost\": 1000,\n")
                .contains("\n  \"server_processes\": 2,\n")
                .contains("\n  \"rss_idle_bytes_by_pid\": {\"101\": 56623104, \"102\": 58720256},\n")
                .contains("\n  \"server_us_per_delivery\": 1.2400,\n")
                .contains("\"series\": [\n    {\"s\": 1, \"phase\": \"connect\"");
    }

    @Test
    void units() {
        assertThat(Report.micros(999)).isEqualTo("999 us");
        assertThat(Report.micros(125_000)).isEqualTo("125.00 ms");
        assertThat(Report.micros(2_500_000)).isEqualTo("2.50 s");
        assertThat(Report.bytes(5 * 1024)).isEqualTo("5.0 KiB");
        assertThat(Report.bytes(-1)).isEqualTo("-");
    }
}
