package dev.kiln.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable snapshot of a training job.
 *
 * @param id the training id
 * @param status the state at the time of the snapshot
 * @param errors the errors that ended the job, empty unless ERRORED
 * @param submitted when the job was submitted
 * @param started when it started running, or null
 * @param completed when it reached a terminal state, or null; set on every terminal transition
 * @param progress the latest progress report, or null
 * @param attempts every attempt so far, oldest first; empty until the job first runs
 */
public record JobInfo(
        String id,
        JobStatus status,
        List<JobError> errors,
        Instant submitted,
        Instant started,
        Instant completed,
        Progress progress,
        List<Attempt> attempts) {

    public JobInfo {
        // one test and no calls: every job builds a snapshot as it ends, usually while this code is interpreted
        if (id == null || status == null || submitted == null) {
            throw new NullPointerException(id == null ? "id" : status == null ? "status" : "submitted");
        }
        errors = errors == null ? List.of() : List.copyOf(errors);
        attempts = attempts == null
                ? List.of()
                : attempts instanceof OneAttempt
                        ? attempts
                        : attempts.size() == 1 ? new OneAttempt(attempts.get(0)) : List.copyOf(attempts);
    }

    /** A snapshot whose attempts are not known (a record written before attempts were kept). */
    public JobInfo(
            String id,
            JobStatus status,
            List<JobError> errors,
            Instant submitted,
            Instant started,
            Instant completed,
            Progress progress) {
        this(id, status, errors, submitted, started, completed, progress, List.of());
    }

    /** A new job waiting to run. */
    public static JobInfo queued(String id, Instant submitted) {
        return new JobInfo(id, JobStatus.QUEUED, List.of(), submitted, null, null, null, List.of());
    }

    /** The current attempt, counting from 1: the running one, or the last one once the job has ended. */
    public int attempt() {
        return attempts.isEmpty() ? 1 : attempts.get(attempts.size() - 1).number();
    }

    /** The current attempt, or null before the job first runs. */
    public Attempt currentAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }

    /** This snapshot moved to RUNNING at {@code now}, in a new attempt. */
    public JobInfo running(Instant now) {
        return new JobInfo(id, JobStatus.RUNNING, errors, submitted, now, null, progress, withNewAttempt(now));
    }

    /** This running snapshot with its current attempt ended by {@code error}, to be followed by another. */
    public JobInfo retrying(JobError error, Instant now) {
        return new JobInfo(
                id,
                status,
                errors,
                submitted,
                started,
                completed,
                progress,
                endCurrent(Attempt.Outcome.RETRIED, error, now));
    }

    /** This running snapshot with the next attempt begun at {@code now}. */
    public JobInfo nextAttempt(Instant now) {
        return new JobInfo(id, status, errors, submitted, started, completed, progress, withNewAttempt(now));
    }

    /** This snapshot moved to a terminal state at {@code now}. */
    public JobInfo finished(JobStatus terminal, List<JobError> newErrors, Instant now) {
        JobError cause = causeOfEnd(terminal, newErrors);
        return new JobInfo(
                id,
                terminal,
                newErrors,
                submitted,
                started,
                now,
                progress,
                endCurrent(Attempt.of(terminal), cause, now));
    }

    /** As {@code queued(id, submitted).withProgress(progress).running(started)}, built at once. */
    static JobInfo firstRunning(String id, Instant submitted, Progress progress, Instant started) {
        return new JobInfo(
                id, JobStatus.RUNNING, List.of(), submitted, started, null, progress, OneAttempt.firstBegun(started));
    }

    /**
     * As {@code firstRunning(id, submitted, progress, started).finished(terminal, newErrors, now)}, without the
     * RUNNING snapshot between: the job ended in its first attempt.
     */
    static JobInfo firstRunFinished(
            String id,
            Instant submitted,
            Progress progress,
            Instant started,
            JobStatus terminal,
            List<JobError> newErrors,
            Instant now) {
        JobError cause = causeOfEnd(terminal, newErrors);
        return new JobInfo(
                id,
                terminal,
                newErrors,
                submitted,
                started,
                now,
                progress,
                OneAttempt.firstEnded(started, Attempt.of(terminal), cause, now));
    }

    /** The error that ended the attempt, the first of {@code newErrors}; checks that {@code terminal} is an end. */
    private static JobError causeOfEnd(JobStatus terminal, List<JobError> newErrors) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not a terminal state");
        }
        return newErrors == null || newErrors.isEmpty() ? null : newErrors.get(0);
    }

    /** This snapshot with a newer progress report. */
    public JobInfo withProgress(Progress latest) {
        return new JobInfo(id, status, errors, submitted, started, completed, latest, attempts);
    }

    private List<Attempt> withNewAttempt(Instant now) {
        if (attempts.isEmpty()) {
            return OneAttempt.firstBegun(now);
        }
        List<Attempt> all = new ArrayList<>(attempts);
        all.add(Attempt.begun(attempts.size() + 1, now));
        return all;
    }

    /** The attempts with the running one ended; unchanged when none runs (the job ended between attempts). */
    private List<Attempt> endCurrent(Attempt.Outcome how, JobError why, Instant now) {
        if (attempts instanceof OneAttempt one) { // almost every job: its attempt ends without being unpacked
            return one.hasEnded() ? one : one.ended(how, why, now);
        }
        Attempt current = currentAttempt();
        if (current == null || current.hasEnded()) {
            return attempts;
        }
        if (attempts.size() == 1) {
            return new OneAttempt(current.ended(how, why, now));
        }
        List<Attempt> all = new ArrayList<>(attempts);
        all.set(all.size() - 1, current.ended(how, why, now));
        return all;
    }
}
