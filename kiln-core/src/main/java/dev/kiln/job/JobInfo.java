package dev.kiln.job;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

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
 */
public record JobInfo(
        String id,
        JobStatus status,
        List<JobError> errors,
        Instant submitted,
        Instant started,
        Instant completed,
        Progress progress) {

    public JobInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(submitted, "submitted");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A new job waiting to run. */
    public static JobInfo queued(String id, Instant submitted) {
        return new JobInfo(id, JobStatus.QUEUED, List.of(), submitted, null, null, null);
    }

    /** This snapshot moved to RUNNING at {@code now}. */
    public JobInfo running(Instant now) {
        return new JobInfo(id, JobStatus.RUNNING, errors, submitted, now, null, progress);
    }

    /** This snapshot moved to a terminal state at {@code now}. */
    public JobInfo finished(JobStatus terminal, List<JobError> newErrors, Instant now) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not a terminal state");
        }
        return new JobInfo(id, terminal, newErrors, submitted, started, now, progress);
    }

    /** This snapshot with a newer progress report. */
    public JobInfo withProgress(Progress latest) {
        return new JobInfo(id, status, errors, submitted, started, completed, latest);
    }
}
