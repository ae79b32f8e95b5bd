package dev.herald.benchmarks.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The final table of a run, as text. Stateless and thread-safe.
 */
final class Report {

    private Report() {
    }

    static String text(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append('\n').append(r.label()).append(" — ").append(r.target()).append(' ').append(String.join(" ", r.urls()))
                .append('\n');
        RunResult.Connections c = r.connections();
        row(b, "subscribers held", String.format(Locale.ROOT, "%,d of %,d (failed %,d, dropped %,d) in %.1f s; %d worker%s x %d thread%s, %s",
                c.held(), c.requested(), c.failed(), c.dropped(), c.connectSeconds(), c.workers(), c.workers() == 1 ? "" : "s",
                c.threadsPerWorker(), c.threadsPerWorker() == 1 ? "" : "s", r.transport()));
        if (r.memory() != null) {
            RunResult.Memory m = r.memory();
            row(b, "server memory idle", String.format(Locale.ROOT, "%s RSS (%s before connecting): %s per subscriber",
                    bytes(m.idleRss()), bytes(m.baselineRss()), m.perSubscriber() < 0 ? "-" : bytes(Math.round(m.perSubscriber()))));
            if (m.idleByPid().size() > 1) {
                StringBuilder each = new StringBuilder();
                m.idleByPid().forEach((pid, rss) -> each.append(each.length() == 0 ? "" : ", ").append(pid).append(' ')
                        .append(bytes(rss)).append(" (").append(bytes(m.baselineByPid().getOrDefault(pid, -1L))).append(')'));
                row(b, "server memory each", each.toString());
            }
        }
        RunResult.Publishing p = r.publishing();
        if (p != null) {
            row(b, "published", String.format(Locale.ROOT, "%,d in the window, %,.1f/s (asked %s/s%s), %,d errors",
                    p.okInWindow(), p.okPerSecond(), Double.isInfinite(p.rate()) ? "max" : String.format(Locale.ROOT, "%,.0f", p.rate()),
                    p.maxBehind() > 1 ? String.format(Locale.ROOT, "; up to %,d behind: every publisher connection busy", p.maxBehind()) : "",
                    p.errors()));
            row(b, "publish round trip", percentiles(p.rtt()));
        }
        RunResult.Delivery d = r.delivery();
        if (d != null) {
            row(b, "delivered", String.format(Locale.ROOT, "%,d of %,d expected (%s), lost %,d; last arrived %.1f s after the window",
                    d.received(), d.expected(), percent(d.received(), d.expected()), d.lost(), d.drainSeconds()));
            row(b, "delivered per second", String.format(Locale.ROOT, "%,.0f events/s over %.1f s", d.deliveredPerSecond(),
                    d.windowSeconds()));
            row(b, "latency", percentiles(d.latency()));
        }
        if (r.server() != null) {
            RunResult.Server s = r.server();
            row(b, "server cpu", String.format(Locale.ROOT, "%s cores%s", s.cores() < 0 ? "-"
                    : String.format(Locale.ROOT, "%.2f", s.cores()), s.microsPerDelivery() < 0 ? ""
                    : String.format(Locale.ROOT, ", %.2f us per delivery", s.microsPerDelivery())));
            row(b, "server rss", String.format(Locale.ROOT, "%s at start, %s at end, %s max", bytes(s.rssStart()),
                    bytes(s.rssEnd()), bytes(s.rssMax())));
        }
        row(b, "generator cpu", String.format(Locale.ROOT, "%.2f cores (subscriber workers)", r.generatorCores()));
        for (String n : r.notes()) {
            row(b, "note", n);
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "  %-22s %s%n", name, value));
    }

    static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        return "p50 " + micros(h.getValueAtPercentile(50)) + "  p90 " + micros(h.getValueAtPercentile(90)) + "  p99 "
                + micros(h.getValueAtPercentile(99)) + "  max " + micros(h.getMaxValue());
    }

    /** A duration given in microseconds, in the unit that reads best. */
    static String micros(double us) {
        if (us < 1000) {
            return String.format(Locale.ROOT, "%.0f us", us);
        }
        if (us < 1_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.2f s", us / 1_000_000);
    }

    /** A byte count in KiB, MiB or GiB. */
    static String bytes(long n) {
        if (n < 0) {
            return "-";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.3f%%", 100.0 * part / whole);
    }
}
