package dev.kiln.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A {@link TrainerScheduler} on one daemon thread, created on the first task rather than with the trainer (most
 * trainers never schedule one). The thread is created under the same lock {@link #close()} takes, so a task
 * scheduled while the scheduler closes can never leave a thread running.
 */
final class DaemonScheduler implements TrainerScheduler {
    private static final Cancellable NEVER_RUNS = () -> {};

    private final String threadName;
    private final UnaryOperator<ScheduledExecutorService> decorate;
    private ScheduledExecutorService executor; // guarded by this
    private boolean closed; // guarded by this

    DaemonScheduler(String threadName) {
        this(threadName, UnaryOperator.identity());
    }

    /** A scheduler whose executor, once started, is passed through {@code decorate} (to be measured, say). */
    DaemonScheduler(String threadName, UnaryOperator<ScheduledExecutorService> decorate) {
        this.threadName = threadName;
        this.decorate = decorate;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        return submit(e -> e.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration period) {
        long nanos = period.toNanos();
        return submit(e -> e.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS));
    }

    private synchronized Cancellable submit(Function<ScheduledExecutorService, ScheduledFuture<?>> how) {
        if (closed) {
            return NEVER_RUNS;
        }
        if (executor == null) {
            ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            pool.setRemoveOnCancelPolicy(true);
            executor = decorate.apply(pool);
        }
        ScheduledFuture<?> future = how.apply(executor);
        return () -> future.cancel(false);
    }

    /** Whether a thread has been started, for tests. */
    synchronized boolean started() {
        return executor != null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
