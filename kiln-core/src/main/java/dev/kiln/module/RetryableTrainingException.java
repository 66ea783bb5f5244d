package dev.kiln.module;

/**
 * Thrown by a module's training when the failure is worth another attempt, such as a data source that was briefly
 * unreachable. The LOCAL trainer retries such a training (up to {@code max_retries}) from its latest checkpoint; any
 * other exception from the module ends the training.
 */
public class RetryableTrainingException extends RuntimeException {
    public RetryableTrainingException(String message) {
        super(message);
    }

    public RetryableTrainingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code t} or one of its causes is a {@code RetryableTrainingException}. */
    public static boolean marks(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RetryableTrainingException) {
                return true;
            }
        }
        return false;
    }
}
