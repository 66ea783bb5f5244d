package dev.kiln.cli.client;

import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.trainer.ModelFuture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one training as the CLI shows it and prints it as JSON.
 *
 * @param trainingId the training id
 * @param module the module's name
 * @param trainer the trainer's name
 * @param state the job's status
 * @param submitted when it was submitted
 * @param started when it started, or null
 * @param completed when it ended, or null
 * @param progress the latest progress, or null
 * @param errors why it failed, empty unless ERRORED
 * @param savePath where the model is (or will be) saved, or null
 * @param priority its place in its trainer's queue: higher starts first
 * @param attempts every attempt so far, oldest first; empty when not known
 */
public record TrainingSnapshot(
        String trainingId,
        String module,
        String trainer,
        JobStatus state,
        Instant submitted,
        Instant started,
        Instant completed,
        Progress progress,
        List<JobError> errors,
        String savePath,
        int priority,
        List<Attempt> attempts) {
    public TrainingSnapshot {
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(state, "state");
        errors = errors == null ? List.of() : List.copyOf(errors);
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** The view of a future of this process. */
    public static TrainingSnapshot of(ModelFuture future) {
        return of(future, future.info());
    }

    /** The view of a future with the given snapshot. */
    public static TrainingSnapshot of(ModelFuture future, JobInfo info) {
        return new TrainingSnapshot(
                future.id(),
                future.module().name(),
                future.trainerName(),
                info.status(),
                info.submitted(),
                info.started(),
                info.completed(),
                info.progress(),
                info.errors(),
                future.savePath().map(Object::toString).orElse(null),
                future.options().priority(),
                info.attempts());
    }

    /** The latest metrics, empty before the first progress report. */
    public Map<String, Double> metrics() {
        return progress == null ? Map.of() : progress.metrics();
    }

    /** How long it ran (or has been running, at {@code now}), from its start or else its submission. */
    public Duration duration(Instant now) {
        Instant from = started != null ? started : submitted;
        Instant to = completed != null ? completed : now;
        return from == null || to.isBefore(from) ? Duration.ZERO : Duration.between(from, to);
    }

    /** This view in another state with the given errors and completion time. */
    public TrainingSnapshot ended(JobStatus terminal, List<JobError> why, Instant at) {
        return new TrainingSnapshot(
                trainingId,
                module,
                trainer,
                terminal,
                submitted,
                started,
                at,
                progress,
                why,
                savePath,
                priority,
                attempts);
    }
}
