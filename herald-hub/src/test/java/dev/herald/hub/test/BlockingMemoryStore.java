package dev.herald.hub.test;

import dev.herald.hub.HistoryEntry;
import dev.herald.hub.HistoryStore;
import dev.herald.hub.internal.history.MemoryHistoryStore;
import java.util.List;

/**
 * A memory history that says it blocks, so the hub takes its durable-store path (appends on the
 * writer thread, reads off the event loops), with a hook that runs before each append: tests use it
 * to refuse or hold appends. Thread-safe as its hook is.
 */
public class BlockingMemoryStore implements HistoryStore {

    private final MemoryHistoryStore delegate;

    /** Keeps the last 1,000 updates. */
    public BlockingMemoryStore() {
        this(1_000);
    }

    /** Keeps the last {@code capacity} updates. */
    public BlockingMemoryStore(int capacity) {
        this.delegate = new MemoryHistoryStore(capacity);
    }

    /** Runs before {@code entry} is stored; throw to refuse it. Does nothing by default. */
    protected void beforeAppend(HistoryEntry entry) {
    }

    @Override
    public final void append(HistoryEntry entry) {
        beforeAppend(entry);
        delegate.append(entry);
    }

    @Override
    public long findSequence(String id) {
        return delegate.findSequence(id);
    }

    @Override
    public List<HistoryEntry> read(long afterSequence, long upToSequence, int limit) {
        return delegate.read(afterSequence, upToSequence, limit);
    }

    @Override
    public long oldestSequence() {
        return delegate.oldestSequence();
    }

    @Override
    public long lastSequence() {
        return delegate.lastSequence();
    }

    @Override
    public boolean isBlocking() {
        return true;
    }

    @Override
    public void close() {
    }
}
