package dev.kiln.trainer;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import java.util.List;

/** Thrown by {@link ModelFuture#load()} when the training ended ERRORED; carries the training's errors. */
public class TrainingFailedException extends KilnException {
    private final String trainingId;
    private final List<JobError> errors;

    public TrainingFailedException(String trainingId, List<JobError> errors) {
        super(
                ErrorCode.INTERNAL,
                "Training " + trainingId + " failed: "
                        + (errors.isEmpty()
                                ? "no reason recorded"
                                : errors.get(0).message()));
        this.trainingId = trainingId;
        this.errors = List.copyOf(errors);
    }

    public String trainingId() {
        return trainingId;
    }

    /** The errors that ended the training. */
    public List<JobError> errors() {
        return errors;
    }
}
