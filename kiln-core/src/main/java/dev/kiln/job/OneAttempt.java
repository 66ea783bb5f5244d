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
        this.number = attempt.number();
        this.started = attempt.started();
        this.ended = attempt.ended();
        this.outcome = attempt.outcome();
        this.error = attempt.error();
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
