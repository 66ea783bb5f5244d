package dev.kiln.job;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a training: the first, or a retry after a failure of the infrastructure it ran on.
 *
 * @param number which attempt it is, counting from 1
 * @param started when it started
 * @param ended when it ended, or null while it runs
 * @param outcome how it ended, or {@link Outcome#RUNNING} while it runs
 * @param error the error that ended it, or null when it did not fail
 */
public record Attempt(int number, Instant started, Instant ended, Outcome outcome, JobError error) {

    /** How an attempt ended. */
    public enum Outcome {
        /** It is still running. */
        RUNNING,
        /** It trained (and saved) the model. */
        COMPLETED,
        /** It failed and another attempt follows. */
        RETRIED,
        /** It failed and ended the training. */
        ERRORED,
        /** The training was cancelled while it ran. */
        CANCELED
    }

    public Attempt {
        if (number < 1) {
            throw new IllegalArgumentException("attempt numbers count from 1, got " + number);
        }
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Attempt {@code number}, running since {@code now}. */
    public static Attempt begun(int number, Instant now) {
        return new Attempt(number, now, null, Outcome.RUNNING, null);
    }

    /** Whether the attempt has ended. */
    public boolean hasEnded() {
        return outcome != Outcome.RUNNING;
    }

    /** This attempt ended at {@code now} with {@code how}, and {@code why} when it failed. */
    public Attempt ended(Outcome how, JobError why, Instant now) {
        return new Attempt(number, started, now, how, why);
    }

    /** The outcome an attempt has when the training it belongs to reaches {@code terminal}. */
    static Outcome of(JobStatus terminal) {
        return switch (terminal) {
            case COMPLETED -> Outcome.COMPLETED;
            case CANCELED -> Outcome.CANCELED;
            default -> Outcome.ERRORED;
        };
    }
}
