package dev.herald.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A run's result as JSON: one flat object of {@code "name": value} members, one per line, so shell
 * scripts can read a member with {@code sed} or {@code jq}, plus the {@code series} array. Absent
 * measurements are {@code null}; latencies are microseconds, memory bytes, CPU cores.
 *
 * <p>Stateless and thread-safe.
 */
final class JsonReport {

    private JsonReport() {
    }

    static void write(RunResult r, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json(r), StandardCharsets.UTF_8);
    }

    static String json(RunResult r) {
        Members m = new Members();
        m.put("label", r.label());
        m.put("target", r.target());
        m.put("urls", String.join(" ", r.urls()));
        m.put("transport", r.transport());
        RunResult.Connections c = r.connections();
        m.put("subscribers", c.requested());
        m.put("held", c.held());
        m.put("failed", c.failed());
        m.put("dropped", c.dropped());
        m.put("workers", c.workers());
        m.put("worker_threads", c.threadsPerWorker());
        m.put("connect_seconds", c.connectSeconds());
        RunResult.Memory mem = r.memory();
        m.put("rss_baseline_bytes", mem == null ? null : mem.baselineRss());
        m.put("rss_idle_bytes", mem == null ? null : mem.idleRss());
        m.put("rss_per_subscriber_bytes", mem == null || mem.perSubscriber() < 0 ? null : Math.round(mem.perSubscriber()));
        m.put("server_processes", mem == null ? null : mem.idleByPid().size());
        m.raw("rss_baseline_bytes_by_pid", mem == null ? "null" : byPid(mem.baselineByPid()));
        m.raw("rss_idle_bytes_by_pid", mem == null ? "null" : byPid(mem.idleByPid()));
        RunResult.Publishing p = r.publishing();
        m.put("rate", p == null ? null : Double.isInfinite(p.rate()) ? "max" : p.rate());
        m.put("published", p == null ? null : p.okInWindow());
        m.put("published_per_second", p == null ? null : p.okPerSecond());
        m.put("publish_errors", p == null ? null : p.errors());
        m.put("publish_max_behind", p == null ? null : p.maxBehind());
        putPercentiles(m, "publish_rtt", p == null ? null : p.rtt());
        RunResult.Delivery d = r.delivery();
        m.put("window_seconds", d == null ? null : d.windowSeconds());
        m.put("expected", d == null ? null : d.expected());
        m.put("received", d == null ? null : d.received());
        m.put("lost", d == null ? null : d.lost());
        m.put("drain_seconds", d == null ? null : d.drainSeconds());
        m.put("delivered_per_second", d == null ? null : d.deliveredPerSecond());
        putPercentiles(m, "latency", d == null ? null : d.latency());
        RunResult.Server s = r.server();
        m.put("server_cores", s == null || s.cores() < 0 ? null : s.cores());
        m.put("server_us_per_delivery", s == null || s.microsPerDelivery() < 0 ? null : s.microsPerDelivery());
        m.put("server_rss_start_bytes", s == null ? null : s.rssStart());
        m.put("server_rss_end_bytes", s == null ? null : s.rssEnd());
        m.put("server_rss_max_bytes", s == null ? null : s.rssMax());
        m.put("generator_cores", r.generatorCores());
        m.put("notes", String.join("; ", r.notes()));
        StringBuilder series = new StringBuilder("[");
        List<RunResult.Point> points = r.series();
        for (int i = 0; i < points.size(); i++) {
            RunResult.Point pt = points.get(i);
            series.append(i == 0 ? "\n    " : ",\n    ").append(String.format(Locale.ROOT,
                    "{\"s\": %s, \"phase\": \"%s\", \"held\": %d, \"events_per_second\": %s, \"server_rss_bytes\": %d, \"server_cores\": %s}",
                    num(pt.seconds()), pt.phase(), pt.held(), num(pt.eventsPerSecond()), pt.serverRss(), num(pt.serverCores())));
        }
        series.append(points.isEmpty() ? "]" : "\n  ]");
        m.raw("series", series.toString());
        return m.toString();
    }

    /** {@code {"pid": bytes, ...}} on one line, so the member stays one line for line-based readers. */
    static String byPid(Map<Long, Long> rss) {
        StringBuilder b = new StringBuilder("{");
        rss.forEach((pid, bytes) -> b.append(b.length() == 1 ? "" : ", ").append(string(Long.toString(pid))).append(": ")
                .append(bytes));
        return b.append('}').toString();
    }

    private static void putPercentiles(Members m, String prefix, Histogram h) {
        boolean none = h == null || h.getTotalCount() == 0;
        m.put(prefix + "_count", none ? null : h.getTotalCount());
        m.put(prefix + "_p50_us", none ? null : h.getValueAtPercentile(50));
        m.put(prefix + "_p90_us", none ? null : h.getValueAtPercentile(90));
        m.put(prefix + "_p99_us", none ? null : h.getValueAtPercentile(99));
        m.put(prefix + "_p999_us", none ? null : h.getValueAtPercentile(99.9));
        m.put(prefix + "_max_us", none ? null : h.getMaxValue());
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Builds the object, one member per line. */
    private static final class Members {
        private final StringBuilder b = new StringBuilder("{");
        private boolean first = true;

        void put(String name, Object value) {
            String v;
            if (value == null) {
                v = "null";
            } else if (value instanceof String s) {
                v = string(s);
            } else if (value instanceof Double dv) {
                v = num(dv);
            } else {
                v = value.toString();
            }
            raw(name, v);
        }

        void raw(String name, String json) {
            b.append(first ? "\n  " : ",\n  ").append(string(name)).append(": ").append(json);
            first = false;
        }

        @Override
        public String toString() {
            return b + "\n}\n";
        }
    }
}
