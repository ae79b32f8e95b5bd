package dev.herald.benchmarks.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What one worker process does: how many subscriber connections it opens, to which URLs, from which
 * local addresses, with how many threads, and until when it may live. Passed on the worker's command
 * line ({@link #toArgs()}, {@link #parse(String[])}). Immutable and thread-safe.
 *
 * @param id the worker's number, from 0
 * @param connections subscriber connections to open
 * @param threads event loop threads
 * @param concurrency connection attempts in flight
 * @param sourceIps local addresses to bind, round-robin; empty for the system's choice
 * @param deadlineMillis wall-clock time ({@link System#currentTimeMillis()}) at which the worker
 *        exits whatever happens, so no worker outlives a crashed coordinator for long
 * @param uris subscribe URLs, round-robin
 */
record WorkerSpec(int id, int connections, int threads, int concurrency, List<String> sourceIps, long deadlineMillis,
                  List<URI> uris) {

    WorkerSpec {
        sourceIps = List.copyOf(sourceIps);
        uris = List.copyOf(uris);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("a worker needs at least one subscribe URL");
        }
    }

    List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--id", Integer.toString(id), "--connections", Integer.toString(connections),
                "--threads", Integer.toString(threads), "--concurrency", Integer.toString(concurrency),
                "--deadline", Long.toString(deadlineMillis)));
        for (String ip : sourceIps) {
            a.add("--source-ip");
            a.add(ip);
        }
        for (URI u : uris) {
            a.add("--uri");
            a.add(u.toString());
        }
        return a;
    }

    /** @throws IllegalArgumentException when the arguments are not a worker's */
    static WorkerSpec parse(String[] args) {
        int id = -1;
        int connections = -1;
        int threads = 1;
        int concurrency = 1;
        long deadline = -1;
        List<String> ips = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            try {
                switch (args[i]) {
                    case "--id" -> id = Integer.parseInt(v);
                    case "--connections" -> connections = Integer.parseInt(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--concurrency" -> concurrency = Integer.parseInt(v);
                    case "--deadline" -> deadline = Long.parseLong(v);
                    case "--source-ip" -> ips.add(v);
                    case "--uri" -> uris.add(URI.create(v));
                    default -> throw new IllegalArgumentException("unknown worker option " + args[i]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("worker option " + args[i] + ": '" + v + "' is not a number");
            }
        }
        if (args.length % 2 != 0 || id < 0 || connections < 0 || deadline < 0 || threads < 1 || concurrency < 1) {
            throw new IllegalArgumentException("incomplete worker arguments: " + String.join(" ", args));
        }
        return new WorkerSpec(id, connections, threads, concurrency, ips, deadline, uris);
    }
}
