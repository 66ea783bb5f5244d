package dev.kiln.time;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * Runs a trainer's or the server's timed tasks: a training's {@code max_duration}, a retry's backoff, a poll loop,
 * the journal's retention purge. Production code uses
 * {@link #daemon(String)}; tests pass a fake one whose time they advance by hand, so no test waits for a timer.
 */
public interface TrainerScheduler extends AutoCloseable {
    /**
     * Runs {@code task} once, {@code delay} from now.
     *
     * @return a handle that cancels the task; once the scheduler is closed, one for a task that never runs
     */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Runs {@code task} every {@code period}, each run {@code period} after the previous one ended, the first one
     * {@code period} from now. A run that throws ends the repetition, so the task should catch what it expects.
     *
     * @return a handle that cancels the task; once the scheduler is closed, one for a task that never runs
     */
    Cancellable scheduleWithFixedDelay(Runnable task, Duration period);

    /**
     * The time its delays are measured on, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()}: for
     * a task that measures an interval itself (how long a worker has been silent), so that a fake scheduler's time
     * moves it too.
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Stops the scheduler: no task runs any more and none can be scheduled; a run under way finishes. */
    @Override
    void close();

    /** A scheduler on one daemon thread of this name, started on first use and stopped by {@link #close()}. */
    static TrainerScheduler daemon(String threadName) {
        return new DaemonScheduler(threadName);
    }

    /**
     * A scheduler on one daemon thread of this name, as {@link #daemon(String)}, whose executor is passed through
     * {@code decorate} when the thread starts: to measure it, for example.
     */
    static TrainerScheduler daemon(String threadName, UnaryOperator<ScheduledExecutorService> decorate) {
        return new DaemonScheduler(threadName, decorate);
    }
}
