package dev.herald.benchmarks.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the load generator's command line into a {@link BenchConfig}. Options are
 * {@code --name value} or {@code --name=value}; the repeatable ones ({@code --url},
 * {@code --server-pid}, {@code --worker-jvm-option}) may be given several times or as a comma list.
 *
 * <p>Stateless and thread-safe.
 */
final class BenchArgs {

    static final String DEFAULT_LABEL = "load";
    static final int DEFAULT_SUBSCRIBERS = 1000;
    static final double DEFAULT_RATE = 0;
    /** Publisher connections at least, when not given. */
    static final int MIN_AUTO_PUBLISHERS = 4;
    /** Publishes per second one publisher connection is planned for, when their number is not given. */
    static final int AUTO_PUBLISHES_PER_CONNECTION = 50;
    static final int MAX_AUTO_PUBLISHERS = 64;
    static final int MAX_PUBLISHERS = 10_000;
    static final int DEFAULT_DATA_BYTES = 64;
    /** The smallest data that holds the timestamp and sequence fields. */
    static final int MIN_DATA_BYTES = 48;
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);
    /** Well under the 20,000 open files a process may have on the reference machine. */
    static final int DEFAULT_PER_WORKER = 15_000;
    static final int DEFAULT_WORKER_THREADS = 1;
    static final int DEFAULT_CONNECT_CONCURRENCY = 256;
    static final List<String> DEFAULT_WORKER_JVM_OPTIONS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC");
    /** Upper bounds that keep a typo from starting an unbounded run. */
    static final int MAX_SUBSCRIBERS = 2_000_000;
    static final Duration MAX_PHASE = Duration.ofHours(24);

    private BenchArgs() {
    }

    /** The options, for {@code --help}. */
    static String usage(String command) {
        return String.join("\n",
                "Usage: " + command + " [OPTIONS]",
                "",
                "Opens subscriber connections to an SSE server (Herald or Nchan), publishes timestamped",
                "updates at a set rate, and reports connections held, events delivered per second,",
                "publish-to-receive latency (HDR histogram) and the server's CPU and resident memory.",
                "",
                "  --label NAME              workload name in the report (default: " + DEFAULT_LABEL + ")",
                "  --target herald|nchan     kind of server (default: herald)",
                "  --url URL                 base URL; repeatable to spread subscribers over several servers",
                "                            (default herald: " + Target.HERALD.defaultUrl() + ",",
                "                             nchan: " + Target.NCHAN.defaultUrl() + ")",
                "  --topic TOPIC             topic (herald) or channel (nchan) (default, unique per run: "
                        + Target.HERALD.defaultTopic() + "/RUN / " + Target.NCHAN.defaultTopic() + "RUN)",
                "  --token JWT               publisher token for herald (default: env HERALD_TOKEN)",
                "  --subscribers N           subscriber connections (default: " + DEFAULT_SUBSCRIBERS + ")",
                "  --rate R|max              publishes per second; 0 = idle capacity, max = as fast as answered",
                "                            (default: 0)",
                "  --publishers N            publisher connections, one request in flight each (default: one per "
                        + AUTO_PUBLISHES_PER_CONNECTION + "/s of rate,",
                "                            " + MIN_AUTO_PUBLISHERS + " to " + MAX_AUTO_PUBLISHERS + "; 16 for --rate max)",
                "  --data-bytes N            bytes of data per update, >= " + MIN_DATA_BYTES + " (default: "
                        + DEFAULT_DATA_BYTES + ")",
                "  --settle D                idle time before the idle memory reading (default: " + fmt(DEFAULT_SETTLE) + ")",
                "  --warmup D                publishing before measuring (default: " + fmt(DEFAULT_WARMUP) + ")",
                "  --duration D              measurement window (default: " + fmt(DEFAULT_DURATION) + ")",
                "  --connect-timeout D       longest time to connect all subscribers (default: "
                        + fmt(DEFAULT_CONNECT_TIMEOUT) + ")",
                "  --drain D                 longest wait for the window's events after it (default: "
                        + fmt(DEFAULT_DRAIN) + ")",
                "  --workers N               subscriber worker processes (default: subscribers / per-worker, rounded up)",
                "  --per-worker N            most connections per worker process (default: " + DEFAULT_PER_WORKER + ")",
                "  --worker-threads N        event loop threads per worker (default: " + DEFAULT_WORKER_THREADS + ")",
                "  --connect-concurrency N   connection attempts in flight per worker (default: "
                        + DEFAULT_CONNECT_CONCURRENCY + ")",
                "  --source-ips auto|none|LIST  local addresses to bind: auto = 127.0.0.2, .3, ... (one per 5,000",
                "                            connections) when the server is on loopback; or a comma list / range",
                "  --server-pid PID          server process to sample from /proc; repeatable (several hubs of a",
                "                            cluster): CPU and RSS are summed, the JSON also gives each one's RSS",
                "  --server-children         count the server processes' children too (nginx workers)",
                "  --json FILE               also write the result as JSON",
                "  --worker-jvm-option OPT   JVM option of the workers; repeatable (default: "
                        + String.join(" ", DEFAULT_WORKER_JVM_OPTIONS) + ")",
                "  --quiet                   no progress line",
                "  -h, --help                this help",
                "",
                "Durations: 500ms, 30s, 5m, 1h (a bare number is seconds).",
                "");
    }

    /** Whether the arguments ask for help. */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the arguments.
     *
     * @param env the environment (for {@code HERALD_TOKEN})
     * @throws IllegalArgumentException naming the option that is wrong and why
     */
    static BenchConfig parse(String[] args, Map<String, String> env) {
        return parse(args, env, Long.toString(System.currentTimeMillis(), 36));
    }

    /**
     * Parses the arguments.
     *
     * @param runId makes the default topic unique to this run, so no run sees another's updates
     * @throws IllegalArgumentException naming the option that is wrong and why
     */
    static BenchConfig parse(String[] args, Map<String, String> env, String runId) {
        String label = DEFAULT_LABEL;
        Target target = Target.HERALD;
        List<URI> urls = new ArrayList<>();
        String topic = null;
        String token = env.get("HERALD_TOKEN");
        int subscribers = DEFAULT_SUBSCRIBERS;
        double rate = DEFAULT_RATE;
        int publishers = 0;
        int dataBytes = DEFAULT_DATA_BYTES;
        Duration settle = DEFAULT_SETTLE;
        Duration warmup = DEFAULT_WARMUP;
        Duration duration = DEFAULT_DURATION;
        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        Duration drain = DEFAULT_DRAIN;
        int workers = 0;
        int perWorker = DEFAULT_PER_WORKER;
        int workerThreads = DEFAULT_WORKER_THREADS;
        int connectConcurrency = DEFAULT_CONNECT_CONCURRENCY;
        List<String> sourceIps = List.of(BenchConfig.AUTO);
        List<Long> pids = new ArrayList<>();
        boolean children = false;
        Path json = null;
        boolean quiet = false;
        List<String> jvm = new ArrayList<>();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (name.equals("--server-children")) {
                children = true;
                continue;
            }
            if (name.equals("--quiet")) {
                quiet = true;
                continue;
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --; see --help)");
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + ": missing value");
            }
            switch (name) {
                case "--label" -> label = value;
                case "--target" -> target = target(value);
                case "--url" -> {
                    for (String u : split(value)) {
                        urls.add(url(u));
                    }
                }
                case "--topic" -> topic = value;
                case "--token" -> token = value;
                case "--subscribers" -> subscribers = intIn(name, value, 0, MAX_SUBSCRIBERS);
                case "--rate" -> rate = rate(value);
                case "--publishers" -> publishers = intIn(name, value, 1, MAX_PUBLISHERS);
                case "--data-bytes" -> dataBytes = intIn(name, value, MIN_DATA_BYTES, 16 * 1024 * 1024);
                case "--settle" -> settle = duration(name, value, true);
                case "--warmup" -> warmup = duration(name, value, true);
                case "--duration" -> duration = duration(name, value, false);
                case "--connect-timeout" -> connectTimeout = duration(name, value, false);
                case "--drain" -> drain = duration(name, value, true);
                case "--workers" -> workers = intIn(name, value, 1, 1000);
                case "--per-worker" -> perWorker = intIn(name, value, 1, 1_000_000);
                case "--worker-threads" -> workerThreads = intIn(name, value, 1, 256);
                case "--connect-concurrency" -> connectConcurrency = intIn(name, value, 1, 100_000);
                case "--source-ips" -> sourceIps = sourceIps(value);
                case "--server-pid" -> {
                    for (String p : split(value)) {
                        pids.add((long) intIn(name, p, 1, Integer.MAX_VALUE));
                    }
                }
                case "--json" -> json = Path.of(value);
                case "--worker-jvm-option" -> jvm.add(value);
                default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
            }
        }
        if (urls.isEmpty()) {
            urls.add(URI.create(target.defaultUrl()));
        }
        if (topic == null) {
            topic = defaultTopic(target, runId);
        }
        if (publishers == 0) {
            publishers = autoPublishers(rate);
        }
        if (rate > 0 && target.needsToken() && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("--token (or env HERALD_TOKEN): publishing to herald needs a publisher token");
        }
        if (workers > 0 && (subscribers + workers - 1) / workers > perWorker) {
            throw new IllegalArgumentException("--workers " + workers + " would put more than --per-worker " + perWorker
                    + " connections in one process; use more workers");
        }
        return new BenchConfig(label, target, urls, topic, token, subscribers, rate, publishers, dataBytes, settle,
                warmup, duration, connectTimeout, drain, workers, perWorker, workerThreads, connectConcurrency,
                sourceIps, pids, children, json, quiet, jvm.isEmpty() ? DEFAULT_WORKER_JVM_OPTIONS : jvm);
    }

    /** The default topic or channel, made unique by {@code runId} (letters and digits). */
    static String defaultTopic(Target target, String runId) {
        return target == Target.HERALD ? target.defaultTopic() + "/" + runId : target.defaultTopic() + runId;
    }

    /** Publisher connections for {@code rate} when not given. */
    static int autoPublishers(double rate) {
        if (Double.isInfinite(rate)) {
            return 16;
        }
        return (int) Math.max(MIN_AUTO_PUBLISHERS, Math.min(MAX_AUTO_PUBLISHERS, Math.ceil(rate / AUTO_PUBLISHES_PER_CONNECTION)));
    }

    private static Target target(String value) {
        try {
            return Target.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--target: '" + value + "' (expected: herald or nchan)");
        }
    }

    private static URI url(String value) {
        URI u;
        try {
            u = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url: '" + value + "' is not a URL");
        }
        if (!"http".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("--url: '" + value + "' (expected: an http:// URL with a host; "
                    + "TLS is not supported by the load generator)");
        }
        return u;
    }

    /** Parses a rate: a non-negative number of publishes per second, or {@code max}. */
    static double rate(String value) {
        if (value.equalsIgnoreCase("max")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double r = Double.parseDouble(value);
            if (r >= 0 && r <= 10_000_000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--rate: '" + value + "' (expected: publishes per second, 0..10000000, or max)");
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
    static Duration duration(String option, String value, boolean zeroAllowed) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' (expected a duration such as 500ms, 30s, 5m, 1h)");
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero()) || d.compareTo(MAX_PHASE) > 0) {
            throw new IllegalArgumentException(option + ": '" + value + "' (expected: " + (zeroAllowed ? "0" : "more than 0")
                    + " to 24h)");
        }
        return d;
    }

    /** Parses {@code auto}, {@code none}, a comma list of IPv4 addresses, or ranges {@code a.b.c.d-a.b.c.e}. */
    static List<String> sourceIps(String value) {
        if (value.equalsIgnoreCase(BenchConfig.AUTO)) {
            return List.of(BenchConfig.AUTO);
        }
        if (value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<String> ips = new ArrayList<>();
        for (String part : split(value)) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                ips.add(formatIpv4(parseIpv4(part)));
                continue;
            }
            long from = parseIpv4(part.substring(0, dash));
            long to = parseIpv4(part.substring(dash + 1));
            if (to < from || to - from >= 65_536) {
                throw new IllegalArgumentException("--source-ips: bad range '" + part + "'");
            }
            for (long a = from; a <= to; a++) {
                ips.add(formatIpv4(a));
            }
        }
        return ips;
    }

    static long parseIpv4(String s) {
        String[] p = s.trim().split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("--source-ips: '" + s + "' is not an IPv4 address");
        }
        long a = 0;
        for (String octet : p) {
            int o;
            try {
                o = Integer.parseInt(octet);
            } catch (NumberFormatException e) {
                o = -1;
            }
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("--source-ips: '" + s + "' is not an IPv4 address");
            }
            a = a * 256 + o;
        }
        return a;
    }

    static String formatIpv4(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static int intIn(String option, String value, int min, int max) {
        long v;
        try {
            v = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a whole number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + ": " + v + " (expected: " + min + ".." + max + ")");
        }
        return (int) v;
    }

    private static String fmt(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
