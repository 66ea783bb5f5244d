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
        /** The training was accepted. */
        SUBMITTED,
        /** An attempt of the training began: the first, or a retry. */
        STARTED,
        /** The training reported progress. */
        PROGRESS,
        /** An attempt failed and the training will be tried again after a backoff; the job stays RUNNING. */
        RETRYING,
        /** The training reached a terminal state. */
        FINISHED
    }
}
