package dev.kiln.job;

/** The state of a training job; one table says which transitions are allowed, and a terminal state never changes. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    CANCELED,
    ERRORED;

    /** Whether the job has finished for good: COMPLETED, CANCELED or ERRORED. */
    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELED || this == ERRORED;
    }

    /**
     * Whether a job in this state may move to {@code next}: QUEUED to RUNNING, CANCELED or ERRORED; RUNNING to a
     * terminal state; a terminal state nowhere. Plain comparisons, as every job's end asks this while its code is
     * usually still interpreted.
     */
    public boolean canTransitionTo(JobStatus next) {
        if (this == QUEUED) {
            return next == RUNNING || next == CANCELED || next == ERRORED;
        }
        return this == RUNNING && (next == COMPLETED || next == CANCELED || next == ERRORED);
    }
}
