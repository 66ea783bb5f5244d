package dev.kiln.predict;

import dev.kiln.job.JobError;
import java.util.Objects;

/**
 * A prediction failed somewhere its exception could not travel from, such as a child JVM: the error is kept as data
 * and becomes the job's error as it is.
 */
public final class PredictionFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient JobError error;

    public PredictionFailedException(JobError error) {
        super(Objects.requireNonNull(error, "error").message());
        this.error = error;
    }

    /** The error the prediction ended with. */
    public JobError error() {
        return error;
    }
}
