package dev.herald.client.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the per-stream "thread" of an
 * event source without a thread of its own. Tasks may be submitted from any thread; a task that throws
 * is reported and does not stop later ones.
 *
 * <p>Thread-safe.
 */
final class SerialExecutor implements Executor, Runnable {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());
    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(SerialExecutor.class, "scheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Executor delegate;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** True while a drain is submitted to or running on the delegate. */
    @SuppressWarnings("unused") // accessed through SCHEDULED
    private volatile boolean scheduled;

    SerialExecutor(Executor delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (SCHEDULED.compareAndSet(this, false, true)) {
            try {
                delegate.execute(this);
            } catch (RuntimeException e) {
                SCHEDULED.setVolatile(this, false);
                throw e;
            }
        }
    }

    /** Drains the queue; runs on the delegate. */
    @Override
    public void run() {
        for (;;) {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    if (t instanceof VirtualMachineError) {
                        throw (VirtualMachineError) t;
                    }
                    LOG.log(System.Logger.Level.ERROR, "event source task failed", t);
                }
            }
            SCHEDULED.setVolatile(this, false);
            // a task added after the last poll but before the flag was cleared found it set: run it now
            if (queue.isEmpty() || !SCHEDULED.compareAndSet(this, false, true)) {
                return;
            }
        }
    }
}
