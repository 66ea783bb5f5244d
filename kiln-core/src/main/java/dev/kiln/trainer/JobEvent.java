package dev.kiln.trainer;

import dev.kiln.job.JobInfo;

/**
 * Something happened to a training.
 *
 * @param kind what happened
 * @param future the training
 * @param info the snapshot right after it happened
 */
public record JobEvent(Kind kind, ModelFuture future, JobInfo info) {
    /** The kinds of job event. */
    public enum Kind {
        SUBMITTED,
        STARTED,
        PROGRESS,
        FINISHED
    }
}
