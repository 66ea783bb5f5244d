package dev.kiln.server.jobs;

import dev.kiln.job.JobError;

/** The reasons recorded for trainings the server stopped (or died) before they finished. */
public final class Interruption {
    /** The reason, as the status's {@code reasons} shows it. */
    public static final String REASON = "interrupted: the server stopped before this training finished";

    private Interruption() {}

    /** The error recorded for an interrupted training. */
    public static JobError error() {
        return JobError.of(JobError.Kind.INTERRUPTED, REASON);
    }

    /** The reason recorded for an interrupted training that could not be submitted again to resume. */
    public static String unresumableReason(String why) {
        return REASON + ", and it could not be resumed: " + why;
    }

    /**
     * The error recorded for an unfinished training of a trainer whose jobs outlive the server, when that trainer no
     * longer tracks it after a restart.
     */
    public static JobError untracked(String trainerName) {
        return JobError.of(JobError.Kind.INTERRUPTED, untrackedReason(trainerName));
    }

    /** The reason {@link #untracked} records, as the status's {@code reasons} shows it. */
    public static String untrackedReason(String trainerName) {
        return REASON + ", and trainer " + trainerName + " no longer tracks it";
    }
}
