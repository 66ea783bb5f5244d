package dev.kiln.cli.context;

import dev.kiln.error.ErrorCode;
import dev.kiln.job.JobStatus;

/** The exit codes of every kiln command, in one table. */
public final class ExitCodes {
    /** The command did what it was asked; a training completed. */
    public static final int OK = 0;
    /** The training ended ERRORED, or kiln failed unexpectedly. */
    public static final int ERRORED = 1;
    /** The command line or a value on it is wrong (a bad option, parameter or file). */
    public static final int USAGE = 2;
    /** The training was cancelled. */
    public static final int CANCELED = 3;
    /** A module, training, model, data or config file was not found. */
    public static final int NOT_FOUND = 4;
    /** The request conflicts with the current state or cannot run in it. */
    public static final int CONFLICT = 5;
    /** A service kiln needs is unavailable, refused access, or did not answer in time. */
    public static final int UNAVAILABLE = 6;
    /** Interrupted with Ctrl-C (SIGINT): 128 + 2, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    /** The exit code for the state a training ended in. */
    public static int of(JobStatus status) {
        return switch (status) {
            case ERRORED -> ERRORED;
            case CANCELED -> CANCELED;
            default -> OK;
        };
    }

    /** The exit code for an error. */
    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT, FAILED_PRECONDITION -> CONFLICT;
            case UNAVAILABLE, DEADLINE_EXCEEDED, UNAUTHENTICATED -> UNAVAILABLE;
            case INTERNAL -> ERRORED;
        };
    }
}
