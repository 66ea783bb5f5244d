package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.server.api.AttemptReport;
import dev.kiln.server.api.ErrorDetail;
import dev.kiln.server.api.ModuleRef;
import dev.kiln.server.api.ProgressReport;
import dev.kiln.server.api.TrainingDetail;
import dev.kiln.server.api.TrainingStatus;
import dev.kiln.server.api.TrainingSummary;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.trainer.ModelFuture;
import java.util.List;

/**
 * One training as the server sees it, whether a trainer still holds it or only the journal remembers it.
 *
 * @param trainer the trainer instance that runs it
 * @param module the module it trains
 * @param modelName its model name, or null
 * @param info its state, times, errors and latest progress
 * @param savePath where its model is (or will be) saved, or null
 * @param parameters its parameters as submitted, or null when not known or not loaded
 * @param live whether a trainer still holds it
 * @param checkpointBytes the bytes its checkpoints take on disk, as the trainer measured them; 0 when unknown
 * @param priority its place in its trainer's queue: higher starts first
 */
public record TrainingView(
        String trainer,
        ModuleDescriptor module,
        String modelName,
        JobInfo info,
        String savePath,
        JsonNode parameters,
        boolean live,
        long checkpointBytes,
        int priority) {

    /** The view of a live future, with a snapshot taken now. */
    public static TrainingView of(ModelFuture f) {
        return of(f, f.info());
    }

    /** The view of a live future with a given snapshot. */
    public static TrainingView of(ModelFuture f, JobInfo info) {
        return new TrainingView(
                f.trainerName(),
                f.module(),
                f.options().modelName(),
                info,
                f.savePath().map(Object::toString).orElse(null),
                null,
                true,
                f.checkpointBytes(),
                f.options().priority());
    }

    /** The view of a journal record. */
    public static TrainingView of(JobRecord r) {
        return new TrainingView(
                r.trainer(),
                r.module(),
                r.modelName(),
                r.info(),
                r.savePath(),
                r.parameters(),
                false,
                0,
                r.options().priority());
    }

    /** This view with a fresher snapshot from a live future. */
    public TrainingView withLive(ModelFuture f) {
        return new TrainingView(
                trainer,
                module,
                modelName,
                f.info(),
                savePath != null ? savePath : f.savePath().map(Object::toString).orElse(null),
                parameters,
                true,
                f.checkpointBytes(),
                priority);
    }

    /** The training id. */
    public String trainingId() {
        return info.id();
    }

    /** The messages of the errors that ended it, as caikit's {@code reasons}. */
    public List<String> reasons() {
        return info.errors().stream().map(JobError::message).toList();
    }

    /** caikit's status shape. */
    public TrainingStatus toStatus() {
        return new TrainingStatus(info.id(), info.status(), info.submitted(), info.completed(), reasons());
    }

    /** The shape the list of trainings shows. */
    public TrainingSummary toSummary() {
        return new TrainingSummary(
                info.id(),
                trainer,
                ModuleRef.of(module),
                modelName,
                info.status(),
                info.submitted(),
                info.started(),
                info.completed(),
                ProgressReport.of(info.progress()),
                reasons(),
                savePath,
                priority,
                info.attempt());
    }

    /** Everything about the training. */
    public TrainingDetail toDetail() {
        return new TrainingDetail(
                info.id(),
                trainer,
                ModuleRef.of(module),
                modelName,
                info.status(),
                info.submitted(),
                info.started(),
                info.completed(),
                ProgressReport.of(info.progress()),
                reasons(),
                info.errors().stream().map(ErrorDetail::of).toList(),
                savePath,
                parameters,
                live,
                checkpointBytes,
                priority,
                info.attempt(),
                info.attempts().stream().map(AttemptReport::of).toList());
    }
}
