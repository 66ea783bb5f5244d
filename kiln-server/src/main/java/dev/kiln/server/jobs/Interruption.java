package dev.kiln.server.jobs;

import dev.kiln.job.JobError;

/** The reason recorded for trainings the server stopped (or died) before they finished. */
public final class Interruption {
    /** The reason, as the status's {@code reasons} shows it. */
    public static final String REASON = "interrupted: the server stopped before this training finished";

    private Interruption() {
    }

    /** The error recorded for an interrupted training. */
    public static JobError error() {
        return JobError.of(JobError.Kind.INTERRUPTED, REASON);
    }
}
