package dev.kiln.job;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one place a job's state changes: each change is a compare-and-set against the transition table, so a
 * terminal state is never overwritten however threads race.
 */
public final class JobState {
    private final AtomicReference<JobInfo> info;
    private final Consumer<JobInfo> onTerminal;

    /**
     * @param initial the first snapshot
     * @param onTerminal called once, by the thread that made the terminal transition
     */
    public JobState(JobInfo initial, Consumer<JobInfo> onTerminal) {
        this.info = new AtomicReference<>(initial);
        this.onTerminal = onTerminal;
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
        if (onTerminal != null) {
            onTerminal.accept(next);
        }
        return true;
    }

    /** Records a progress report unless the job is already terminal. */
    public void progress(Progress progress) {
        JobInfo current;
        do {
            current = info.get();
            if (current.status().isTerminal()) {
                return;
            }
        } while (!info.compareAndSet(current, current.withProgress(progress)));
    }
}
