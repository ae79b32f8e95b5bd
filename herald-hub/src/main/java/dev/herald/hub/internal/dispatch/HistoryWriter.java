package dev.herald.hub.internal.dispatch;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryStore;
import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.internal.history.WriteProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish path for a blocking history (group commit). Publishing threads (event loops) only
 * queue; one writer thread takes everything queued (up to {@value #MAX_BATCH}), numbers it, stores it
 * with one {@link HistoryStore#appendAll} (one transaction, one commit), then hands the stored updates
 * to the {@link Dispatcher} in sequence order and completes their futures. Publishes arriving during a
 * commit form the next batch, so a publish waits at most for the commit in progress and its own, and
 * the cost of a commit is shared by everything that arrived meanwhile.
 *
 * <p>Because one thread both assigns sequences and hands updates to the loops after they are stored,
 * every loop sees updates in sequence order, and everything up to a loop's last sequence is readable
 * from the history (the invariant {@link LoopDispatcher}'s replay relies on).
 *
 * <p>While the history refuses updates ({@link #failureReason()} set, {@code /readyz} 503) every
 * publish tries it again; with no publish coming (a load balancer routing by readiness sends none),
 * a history that is a {@link WriteProbe} is probed every {@link #PROBE_INTERVAL} with as many bytes as
 * the refused batch held (when the probe {@linkplain WriteProbe#probes tells} that cause: a full
 * disk), so the hub becomes ready again by itself when space returns.
 *
 * <p>Thread-safe: {@link #submit} from any thread; {@link #start} and {@link #close} once.
 */
final class HistoryWriter {

    private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);

    /** Most publishes stored in one transaction. */
    static final int MAX_BATCH = 1024;
    /**
     * Most publishes waiting for the writer; beyond, publishes are refused at once (503) rather than
     * queue without bound behind a slow disk.
     */
    static final int MAX_QUEUED = 65_536;
    /** Retry-After when the queue is full. */
    static final Duration RETRY_AFTER_OVERLOAD = Duration.ofSeconds(1);
    /** How long the writer waits for a publish, while the history refuses updates, before probing it. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /**
     * Least bytes a probe writes: about a batch of small updates (1,024 of 64 bytes), so a disk with
     * room for the probe has room for the next publishes.
     */
    static final int MIN_PROBE_BYTES = 64 * 1024;
    /** Most bytes a probe writes, whatever the refused batch held: it runs every second while refused. */
    static final int MAX_PROBE_BYTES = 4 * 1024 * 1024;

    private static final Pending STOP = new Pending(null, null, false, null, 0, null, 0);

    private final HistoryStore history;
    private final WriteProbe probe; // null: only a publish that is stored ends a failure
    private final Dispatcher dispatcher;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;
    private volatile boolean closed;
    private volatile long sequence;
    private boolean failing; // writer thread only: log the first failure of a run, and the recovery
    /** Writer thread only: bytes the next probe writes, or 0 when no probe can end the failure. */
    private int probeBytes;
    private volatile String failureReason;

    /** A publish waiting to be stored. */
    static final class Pending {
        final String id;
        final List<String> topics;
        final boolean isPrivate;
        final byte[] frame;
        final long timestampMillis;
        final String conflationKey;
        final long acceptedNanos;
        final CompletableFuture<Long> future = new CompletableFuture<>();

        Pending(String id, List<String> topics, boolean isPrivate, byte[] frame, long timestampMillis,
                String conflationKey, long acceptedNanos) {
            this.id = id;
            this.topics = topics;
            this.isPrivate = isPrivate;
            this.frame = frame;
            this.timestampMillis = timestampMillis;
            this.conflationKey = conflationKey;
            this.acceptedNanos = acceptedNanos;
        }
    }

    HistoryWriter(HistoryStore history, Dispatcher dispatcher) {
        this.history = history;
        this.probe = history instanceof WriteProbe p ? p : null;
        this.dispatcher = dispatcher;
        this.sequence = history.lastSequence();
        this.thread = new Thread(this::run, "herald-history-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a publish. The future completes with its sequence once it is stored and handed to the
     * loops, or fails with {@link HistoryUnavailableException} (store failure, queue full) or
     * {@link IllegalStateException} (closed). It completes on the writer thread: dependents must not block.
     */
    CompletableFuture<Long> submit(Pending p) {
        if (closed) {
            p.future.completeExceptionally(new IllegalStateException("hub closed"));
        } else if (!queue.offer(p)) {
            p.future.completeExceptionally(new HistoryUnavailableException(
                    "too many publishes waiting for the history (" + MAX_QUEUED + ")", RETRY_AFTER_OVERLOAD, null));
        } else if (closed && queue.remove(p)) {
            // close() ran between the check and the offer and may have drained the queue already
            p.future.completeExceptionally(new IllegalStateException("hub closed"));
        }
        return p.future;
    }

    /** Why the last commit failed, or {@code null} when it succeeded. */
    String failureReason() {
        return failureReason;
    }

    /** The last sequence stored and handed to the loops. */
    long lastSequence() {
        return sequence;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            Pending first;
            try {
                first = probeBytes > 0 ? queue.poll(PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                        : queue.take();
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, with STOP, after what was queued before it
            }
            if (first == null) {
                probe();
                continue;
            }
            if (first == STOP) {
                break;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            try {
                commit(batch);
            } catch (Throwable t) { // never let the writer die: every later publish would hang
                log.error("history writer failed", t);
                fail(batch, 0, t);
            }
            batch.clear();
            if (stop) {
                break;
            }
        }
    }

    private void commit(List<Pending> batch) {
        long base = sequence;
        int n = batch.size();
        List<HistoryEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            entries.add(HistoryEntry.of(base + 1 + i, p.id, p.topics, p.isPrivate, p.timestampMillis, p.frame,
                    p.conflationKey));
        }
        Throwable failure = null;
        try {
            history.appendAll(entries);
        } catch (RuntimeException e) {
            failure = e;
        }
        int stored = n;
        if (failure != null) {
            // a store that is not transactional may have kept a prefix: those are acknowledged
            long last;
            try {
                last = history.lastSequence();
            } catch (RuntimeException e) {
                last = base;
            }
            stored = (int) Math.max(0, Math.min(n, last - base));
        }
        for (int i = 0; i < stored; i++) {
            Pending p = batch.get(i);
            dispatcher.deliver(base + 1 + i, p.id, p.topics, p.isPrivate, p.frame, p.conflationKey, p.acceptedNanos);
        }
        sequence = base + stored;
        for (int i = 0; i < stored; i++) {
            batch.get(i).future.complete(base + 1 + i);
        }
        if (failure == null) {
            recovered();
            return;
        }
        failureReason = "history unavailable: " + failure.getMessage();
        probeBytes = probe == null || !probe.probes(failure) ? 0 : probeSize(batch, stored);
        if (!failing) {
            failing = true;
            log.warn("history refused {} update(s); publishers get 503 until it recovers: {}", n - stored,
                    failure.toString());
        } else {
            log.debug("history still refusing updates: {}", failure.toString());
        }
        fail(batch, stored, failure);
    }

    /** Asks a failing history whether it writes again, with no publish to try it with. */
    private void probe() {
        try {
            probe.probeWrite(probeBytes);
        } catch (RuntimeException e) {
            log.debug("history still refusing writes: {}", e.toString());
            return;
        } catch (Throwable t) { // never let the writer die: every later publish would hang
            log.error("history write probe failed", t);
            return;
        }
        recovered();
    }

    /** The refused part of {@code batch} in bytes, at least {@link #MIN_PROBE_BYTES}, at most {@link #MAX_PROBE_BYTES}. */
    private static int probeSize(List<Pending> batch, int from) {
        long bytes = 0;
        for (int i = from; i < batch.size(); i++) {
            bytes += batch.get(i).frame.length;
        }
        return (int) Math.min(MAX_PROBE_BYTES, Math.max(MIN_PROBE_BYTES, bytes));
    }

    private void recovered() {
        probeBytes = 0;
        if (failing) {
            failing = false;
            failureReason = null;
            log.info("history writable again: publishes accepted");
        }
    }

    private static void fail(List<Pending> batch, int from, Throwable cause) {
        HistoryUnavailableException e = cause instanceof HistoryUnavailableException h ? h
                : new HistoryUnavailableException("history failed: " + cause, Duration.ofSeconds(1), cause);
        for (int i = from; i < batch.size(); i++) {
            batch.get(i).future.completeExceptionally(e);
        }
    }

    /**
     * Stores what was queued before this call, then stops; waits up to {@code timeout}. Publishes
     * still queued after that fail with {@link IllegalStateException}.
     */
    void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        if (thread.isAlive()) {
            try {
                queue.put(STOP);
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Pending p;
        IllegalStateException closedException = new IllegalStateException("hub closed");
        while ((p = queue.poll()) != null) {
            if (p != STOP) {
                p.future.completeExceptionally(closedException);
            }
        }
    }
}
