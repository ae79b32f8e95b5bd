package dev.herald.hub.test;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryReader;
import dev.herald.hub.HistoryUnavailableException;
import dev.herald.hub.TransportStatus;
import dev.herald.hub.UpdateTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory shared log for tests of the hub's transport mode: every {@link #transport()} of one
 * log sees the same entries in the same order, as hubs sharing Redis do. Tests can take it down
 * (appends fail, feeds pause), drop its oldest entries as retention would, and hold a transport's
 * feed back to open races. Thread-safe (one monitor).
 */
public final class SharedLog {

    private final List<HistoryEntry> entries = new ArrayList<>(); // consecutive sequences from oldest
    private long last;
    private String down; // non-null: unreachable, with this reason

    /** A new transport over this log (one per hub). */
    public synchronized Transport transport() {
        return new Transport();
    }

    /** Makes the log unreachable ({@code reason} non-null) or reachable again. */
    public synchronized void down(String reason) {
        this.down = reason;
        notifyAll();
    }

    /** Drops every entry up to {@code sequence}, as retention does. */
    public synchronized void dropUpTo(long sequence) {
        entries.removeIf(e -> e.sequence() <= sequence);
    }

    synchronized long append(String id, List<String> topics, boolean isPrivate, long ts, byte[] frame,
                             String conflationKey) {
        if (down != null) {
            throw new HistoryUnavailableException("log down: " + down, Duration.ofSeconds(2), null);
        }
        last++;
        entries.add(HistoryEntry.of(last, id, topics, isPrivate, ts, frame, conflationKey));
        notifyAll();
        return last;
    }

    /** The first entry after {@code cursor}, waiting up to {@code waitMillis}; null if none (or down). */
    synchronized HistoryEntry next(long cursor, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (true) {
            if (down == null) {
                for (HistoryEntry e : entries) {
                    if (e.sequence() > cursor) {
                        return e;
                    }
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    private final HistoryReader reader = new HistoryReader() {
        @Override
        public long findSequence(String id) {
            synchronized (SharedLog.this) {
                for (HistoryEntry e : entries) {
                    if (e.id().equals(id)) {
                        return e.sequence();
                    }
                }
                return -1;
            }
        }

        @Override
        public List<HistoryEntry> read(long after, long upTo, int limit) {
            synchronized (SharedLog.this) {
                List<HistoryEntry> out = new ArrayList<>();
                for (HistoryEntry e : entries) {
                    if (e.sequence() > after && e.sequence() <= upTo && out.size() < limit) {
                        out.add(e);
                    }
                }
                return out;
            }
        }

        @Override
        public long oldestSequence() {
            synchronized (SharedLog.this) {
                return entries.isEmpty() ? -1 : entries.get(0).sequence();
            }
        }

        @Override
        public long lastSequence() {
            synchronized (SharedLog.this) {
                return last;
            }
        }

        @Override
        public boolean isBlocking() {
            return true;
        }
    };

    /** One hub's view of the log: its feed runs on a thread of its own. */
    public final class Transport implements UpdateTransport {

        private volatile boolean closed;
        private volatile boolean held;
        private volatile long fed;
        private Thread feedThread;

        /** Holds this transport's feed back ({@code true}) or lets it go on. */
        public void holdFeed(boolean hold) {
            held = hold;
        }

        @Override
        public long connect() {
            return reader.lastSequence();
        }

        @Override
        public void startFeed(long afterSequence, Feed feed) {
            fed = afterSequence;
            feedThread = new Thread(() -> {
                try {
                    while (!closed) {
                        HistoryEntry e = held ? null : next(fed, 20);
                        if (held) { // also when the hold came while next() waited
                            Thread.sleep(5);
                            continue;
                        }
                        if (e == null) {
                            continue;
                        }
                        feed.accept(e);
                        fed = e.sequence();
                    }
                } catch (InterruptedException stop) {
                    // closed
                }
            }, "test-shared-log-feed");
            feedThread.setDaemon(true);
            feedThread.start();
        }

        @Override
        public CompletableFuture<Long> append(String id, List<String> topics, boolean isPrivate, long ts,
                                              byte[] frame, String conflationKey) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("closed"));
            }
            try {
                return CompletableFuture.completedFuture(SharedLog.this.append(id, topics, isPrivate, ts, frame,
                        conflationKey));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public HistoryReader history() {
            return reader;
        }

        @Override
        public TransportStatus status() {
            synchronized (SharedLog.this) {
                return new TransportStatus(down == null, down == null ? null : "log down: " + down, fed, 0);
            }
        }

        @Override
        public void close() {
            closed = true;
            if (feedThread != null) {
                feedThread.interrupt();
            }
        }

        @Override
        public String toString() {
            return "test shared log";
        }
    }
}
