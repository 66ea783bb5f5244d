package dev.kiln.job;

import java.util.EnumSet;
import java.util.Set;

/** The state of a training job; one table says which transitions are allowed, and a terminal state never changes. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    CANCELED,
    ERRORED;

    private static final Set<JobStatus> FROM_QUEUED = EnumSet.of(RUNNING, CANCELED, ERRORED);
    private static final Set<JobStatus> FROM_RUNNING = EnumSet.of(COMPLETED, CANCELED, ERRORED);

    /** Whether the job has finished for good: COMPLETED, CANCELED or ERRORED. */
    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELED || this == ERRORED;
    }

    /** Whether a job in this state may move to {@code next}. */
    public boolean canTransitionTo(JobStatus next) {
        return switch (this) {
            case QUEUED -> FROM_QUEUED.contains(next);
            case RUNNING -> FROM_RUNNING.contains(next);
            default -> false;
        };
    }
}
