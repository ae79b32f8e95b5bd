package dev.herald.client;

import static java.util.Objects.requireNonNull;

import dev.herald.client.internal.ChunkEndListener;
import dev.herald.sse.SseEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The events of a stream as a blocking {@link Iterator} (or a {@link Stream}), for code that prefers to
 * pull. Behind it is an {@link EventSource} that reconnects by itself; connection errors it recovers from
 * are not surfaced. Iteration ends when the stream fails for good: with {@code hasNext() == false} after a
 * {@code 204 No Content} (the server's way of saying "done"), and by throwing the
 * {@link EventSourceException} otherwise (a status other than 200, a wrong content type, a redirect that
 * cannot be followed); or when {@link #close()} is called.
 *
 * <pre>{@code
 * try (EventStream events = EventStream.open(EventSourceConfig.builder("https://example.com/events").build())) {
 *     for (SseEvent event : (Iterable<SseEvent>) () -> events) {
 *         System.out.println(event.data());
 *     }
 * }
 * }</pre>
 *
 * <p>Events wait in two batches of at most {@link #DEFAULT_CAPACITY} (or the given capacity) each: one the
 * consumer is taking, one the event source is filling. When both are full the event source stops
 * reading, and TCP flow control slows the server down.
 *
 * <p>Thread-safe: one thread usually iterates, and any thread may call {@link #close()}.
 */
public final class EventStream implements Iterator<SseEvent>, AutoCloseable {

    /** Default number of events in each of the two batches between the network and the consumer: 256. */
    public static final int DEFAULT_CAPACITY = 256;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Guarded by lock: events handed over by the feeder. */
    private final ArrayDeque<SseEvent> buffer = new ArrayDeque<>();
    /** Guarded by its own monitor, held by the consumer: events moved out of {@link #buffer}, in order. */
    private final ArrayDeque<SseEvent> taken = new ArrayDeque<>();
    private final int capacity;
    private final EventSource source;
    /** Written under lock; read without it by the consumer. */
    private volatile boolean closed;
    /** Guarded by lock: the event source failed for good. */
    private boolean finished;
    /** Guarded by lock: why it failed, or null after a 204. */
    private EventSourceException failure;

    private EventStream(EventSourceConfig config, int capacity) {
        this.capacity = capacity;
        this.source = EventSource.connect(config, new Feeder());
    }

    /** Opens the stream that {@code config} describes, in batches of up to {@link #DEFAULT_CAPACITY} events. */
    public static EventStream open(EventSourceConfig config) {
        return open(config, DEFAULT_CAPACITY);
    }

    /** Opens the stream that {@code config} describes, in batches of up to {@code capacity} events. */
    public static EventStream open(EventSourceConfig config, int capacity) {
        requireNonNull(config, "config");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        return new EventStream(config, capacity);
    }

    /** The state of the event source behind this stream. */
    public ReadyState readyState() {
        return source.readyState();
    }

    /** The last event ID of the event source behind this stream; see {@link EventSource#lastEventId()}. */
    public String lastEventId() {
        return source.lastEventId();
    }

    /** Reconnects the event source behind this stream at once; see {@link EventSource#restart()}. */
    public void restart() {
        source.restart();
    }

    /**
     * Waits until an event is available ({@code true}) or the stream has ended ({@code false}).
     *
     * @throws EventSourceException if the stream failed for another reason than a {@code 204}, once the
     *     events received before the failure were taken
     * @throws CancellationException if the thread is interrupted while waiting (its interrupt status is
     *     set again)
     */
    @Override
    public boolean hasNext() {
        synchronized (taken) {
            if (!taken.isEmpty()) {
                return !closed;
            }
            lock.lock();
            try {
                while (buffer.isEmpty() && !finished && !closed) {
                    notEmpty.await();
                }
                return refill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for an event");
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The next event, waiting for it if needed.
     *
     * @throws NoSuchElementException if the stream has ended
     * @throws EventSourceException as {@link #hasNext()}
     */
    @Override
    public SseEvent next() {
        synchronized (taken) {
            if (!hasNext()) {
                throw new NoSuchElementException("the event stream has ended");
            }
            return taken.poll();
        }
    }

    /**
     * The next event, waiting at most {@code timeout}; {@code null} if none came in time or the stream
     * has ended.
     *
     * @throws EventSourceException as {@link #hasNext()}
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public SseEvent poll(Duration timeout) throws InterruptedException {
        long nanos = requireNonNull(timeout, "timeout").toNanos();
        synchronized (taken) {
            if (!taken.isEmpty()) {
                return closed ? null : taken.poll();
            }
            lock.lockInterruptibly();
            try {
                while (buffer.isEmpty() && !finished && !closed) {
                    if (nanos <= 0) {
                        return null;
                    }
                    nanos = notEmpty.awaitNanos(nanos);
                }
                return refill() ? taken.poll() : null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** The remaining events as a sequential stream; closing it closes this event stream. */
    public Stream<SseEvent> stream() {
        Spliterator<SseEvent> events = Spliterators.spliteratorUnknownSize(this,
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(events, false).onClose(this::close);
    }

    /** Closes the event source and ends the iteration: {@link #hasNext()} returns {@code false}. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            buffer.clear(); // the consumer's batch is not handed out any more either
            notEmpty.signalAll();
            notFull.signalAll(); // releases the callback thread if it waits for room
        } finally {
            lock.unlock();
        }
        source.close();
    }

    /**
     * Moves every buffered event to the consumer's side at once, so that the consumer takes the lock
     * once per batch and the feeder can refill meanwhile. Caller holds the lock and the consumer monitor.
     */
    private boolean refill() {
        if (closed) {
            return false;
        }
        if (!buffer.isEmpty()) {
            taken.addAll(buffer);
            buffer.clear();
            notFull.signal();
            return true;
        }
        if (failure != null) {
            throw failure;
        }
        return false;
    }

    /**
     * Moves events from the callback thread into the buffer: those of one piece of the body are gathered
     * without locking and handed over together at its end (or when {@code capacity} of them are ready),
     * with one wake-up of the consumer rather than one per event; blocks while the buffer is full.
     */
    private final class Feeder implements EventSourceListener, ChunkEndListener {

        /** Callback-thread-confined. */
        private final ArrayList<SseEvent> batch = new ArrayList<>();

        @Override
        public void onEvent(EventSource source, SseEvent event) {
            batch.add(event);
            if (batch.size() >= capacity) {
                onChunkEnd();
            }
        }

        @Override
        public void onChunkEnd() {
            if (batch.isEmpty()) {
                return;
            }
            lock.lock();
            try {
                int i = 0;
                while (i < batch.size() && !closed) {
                    while (buffer.size() >= capacity && !closed) {
                        notFull.await();
                    }
                    if (closed) {
                        break;
                    }
                    int room = capacity - buffer.size();
                    for (int end = Math.min(batch.size(), i + room); i < end; i++) {
                        buffer.add(batch.get(i));
                    }
                    notEmpty.signal();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the callback pool is shutting down
            } finally {
                lock.unlock();
                batch.clear();
            }
        }

        @Override
        public void onError(EventSource source, EventSourceException error) {
            if (source.readyState() != ReadyState.CLOSED) {
                return; // the event source reconnects by itself
            }
            onChunkEnd(); // nothing should be pending here, but events come before the end
            lock.lock();
            try {
                finished = true;
                boolean stop = error instanceof HttpStatusException http && http.statusCode() == 204;
                failure = stop ? null : error;
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
