package dev.kiln.job;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * A training failure stored as data, so an error in a thread, a child JVM or a Slurm node looks the same.
 *
 * @param kind what sort of failure it was
 * @param type the exception's class name, or a short name for failures that have no exception
 * @param message the exception's message, exactly as the module raised it
 * @param stackText the stack trace as text, empty when there is none
 */
public record JobError(Kind kind, String type, String message, String stackText) {
    /**
     * The {@link #type} of a {@link Kind#PROCESS_DIED} error whose JVM would not start with the options it was given:
     * it would not start on another attempt either, so such a failure is not retried.
     */
    public static final String JVM_REFUSED_OPTIONS = "JVM_REFUSED_OPTIONS";

    /** What sort of failure ended a job. */
    public enum Kind {
        /** The module's training threw. */
        EXCEPTION,
        /** The module's training threw an exception it marked as worth another attempt. */
        RETRYABLE_EXCEPTION,
        /** The job ran longer than its {@code max_duration}. */
        TIMEOUT,
        /** The training ran out of memory. */
        OUT_OF_MEMORY,
        /** The process running the training died without a result. */
        PROCESS_DIED,
        /** The worker sent something the trainer could not understand, or went silent. */
        PROTOCOL,
        /** The service running the job stopped before it finished. */
        INTERRUPTED,
        /** The batch scheduler ended the job. */
        SCHEDULER,
        /** Saving the trained model failed. */
        SAVE_FAILED
    }

    public JobError {
        Objects.requireNonNull(kind, "kind");
        type = type == null ? "" : type;
        message = message == null ? "" : message;
        stackText = stackText == null ? "" : stackText;
    }

    /** An error of the given kind made from an exception. */
    public static JobError of(Kind kind, Throwable t) {
        StringWriter stack = new StringWriter();
        t.printStackTrace(new PrintWriter(stack));
        return new JobError(kind, t.getClass().getName(), t.getMessage(), stack.toString());
    }

    /** An error of the given kind with no exception behind it. */
    public static JobError of(Kind kind, String message) {
        return new JobError(kind, kind.name(), message, "");
    }

    @Override
    public String toString() {
        return type + ": " + message;
    }
}
