package dev.kiln.server.api;

import dev.kiln.job.JobError;

/**
 * One error that ended a training, with its stack.
 *
 * @param kind EXCEPTION, TIMEOUT, OUT_OF_MEMORY, PROCESS_DIED, PROTOCOL, INTERRUPTED, SCHEDULER or SAVE_FAILED
 * @param type the exception's class name, or a short name when there was no exception
 * @param message the message, exactly as the module raised it
 * @param stackText the stack trace as text, empty when there is none
 */
public record ErrorDetail(String kind, String type, String message, String stackText) {

    /** The detail of a job error. */
    public static ErrorDetail of(JobError e) {
        return new ErrorDetail(e.kind().name(), e.type(), e.message(), e.stackText());
    }
}
