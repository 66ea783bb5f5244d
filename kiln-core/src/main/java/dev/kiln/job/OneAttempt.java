package dev.kiln.job;

import java.time.Instant;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The attempts of a job that has run once, as one object rather than a list holding an {@link Attempt}: almost every
 * job has exactly one, and a finished job may be retained for days. Unmodifiable; its element is made when read and
 * equals the attempt it was made from.
 */
final class OneAttempt extends AbstractList<Attempt> implements RandomAccess {
    private final int number;
    private final Instant started;
    private final Instant ended;
    private final Attempt.Outcome outcome;
    private final JobError error;

    OneAttempt(Attempt attempt) {
        this(attempt.number(), attempt.started(), attempt.ended(), attempt.outcome(), attempt.error());
    }

    private OneAttempt(int number, Instant started, Instant ended, Attempt.Outcome outcome, JobError error) {
        this.number = number;
        this.started = started;
        this.ended = ended;
        this.outcome = outcome;
        this.error = error;
    }

    /** The first attempt, running since {@code now}; as {@code new OneAttempt(Attempt.begun(1, now))}, made directly. */
    static OneAttempt firstBegun(Instant now) {
        return new OneAttempt(1, now, null, Attempt.Outcome.RUNNING, null);
    }

    /** The first attempt, begun at {@code started} and ended at {@code now}; as {@code firstBegun(started).ended(…)}. */
    static OneAttempt firstEnded(Instant started, Attempt.Outcome how, JobError why, Instant now) {
        return new OneAttempt(1, started, now, how, why);
    }

    /** Whether the attempt has ended. */
    boolean hasEnded() {
        return outcome != Attempt.Outcome.RUNNING;
    }

    /** This attempt ended at {@code now}; as {@link Attempt#ended} on its element, without making the element. */
    OneAttempt ended(Attempt.Outcome how, JobError why, Instant now) {
        return new OneAttempt(number, started, now, how, why);
    }

    @Override
    public Attempt get(int index) {
        if (index != 0) {
            throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length 1");
        }
        return new Attempt(number, started, ended, outcome, error);
    }

    @Override
    public int size() {
        return 1;
    }
}
