package dev.kiln.module;

/** Thrown inside a training to stop it once it has been cancelled; the job stays CANCELED. */
public class TrainingCancelledException extends RuntimeException {
    public TrainingCancelledException(String trainingId) {
        super("Training " + trainingId + " was cancelled");
    }
}
