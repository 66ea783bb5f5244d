package dev.kiln.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one place a job's state changes: each change is a compare-and-set against the transition table, so a
 * terminal state is never overwritten however threads race. Callers can {@link #await} the terminal snapshot.
 */
public final class JobState {
    private final AtomicReference<JobInfo> info;
    private final Consumer<JobInfo> onTerminal;
    private final CompletableFuture<JobInfo> ended = new CompletableFuture<>();

    /**
     * @param initial the first snapshot; a terminal one (a job known only from its record) has already ended
     * @param onTerminal called once, by the thread that made the terminal transition, before awaiting callers wake
     */
    public JobState(JobInfo initial, Consumer<JobInfo> onTerminal) {
        this.info = new AtomicReference<>(initial);
        this.onTerminal = onTerminal;
        if (initial.status().isTerminal()) {
            ended.complete(initial);
        }
    }

    /** The current snapshot. */
    public JobInfo get() {
        return info.get();
    }

    /** Moves QUEUED to RUNNING; false if the job is no longer QUEUED. */
    public boolean start(Instant now) {
        JobInfo current;
        do {
            current = info.get();
            if (current.status() != JobStatus.QUEUED) {
                return false;
            }
        } while (!info.compareAndSet(current, current.running(now)));
        return true;
    }

    /**
     * Ends the running attempt with {@code error}, keeping the job RUNNING for the next one; false (and no change)
     * if the job is not RUNNING or no attempt runs.
     */
    public boolean retry(JobError error, Instant now) {
        JobInfo current;
        do {
            current = info.get();
            Attempt attempt = current.currentAttempt();
            if (current.status() != JobStatus.RUNNING || attempt == null || attempt.hasEnded()) {
                return false;
            }
        } while (!info.compareAndSet(current, current.retrying(error, now)));
        return true;
    }

    /** Begins the next attempt of a RUNNING job between attempts; false if the job ended or an attempt runs. */
    public boolean beginAttempt(Instant now) {
        JobInfo current;
        do {
            current = info.get();
            Attempt attempt = current.currentAttempt();
            if (current.status() != JobStatus.RUNNING || attempt == null || !attempt.hasEnded()) {
                return false;
            }
        } while (!info.compareAndSet(current, current.nextAttempt(now)));
        return true;
    }

    /** Moves to a terminal state; false (and no change) if the job was already terminal. */
    public boolean finish(JobStatus terminal, List<JobError> errors, Instant now) {
        JobInfo current;
        JobInfo next;
        do {
            current = info.get();
            if (!current.status().canTransitionTo(terminal)) {
                return false;
            }
            next = current.finished(terminal, errors, now);
        } while (!info.compareAndSet(current, next));
        try {
            if (onTerminal != null) {
                onTerminal.accept(next);
            }
        } finally {
            ended.complete(next);
        }
        return true;
    }

    /** Waits for the terminal snapshot. */
    public JobInfo await() throws InterruptedException {
        try {
            return ended.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /** Waits up to {@code timeout} for the terminal snapshot; answers the current one if the job has not ended. */
    public JobInfo await(Duration timeout) throws InterruptedException {
        try {
            return ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return info.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /** Records a progress report unless the job is already terminal; false (and no change) if it is. */
    public boolean progress(Progress progress) {
        JobInfo current;
        do {
            current = info.get();
            if (current.status().isTerminal()) {
                return false;
            }
        } while (!info.compareAndSet(current, current.withProgress(progress)));
        return true;
    }
}
