package dev.kiln.error;

/** Transport-neutral error codes; the HTTP layer and the CLI each map them in one table. */
public enum ErrorCode {
    /** The caller sent something invalid: a parameter, a path, a config value. */
    INVALID_ARGUMENT,
    /** The named thing (training id, module, model path) does not exist. */
    NOT_FOUND,
    /** The request conflicts with the current state, e.g. restarting a running training. */
    CONFLICT,
    /** The operation needs a state the system is not in, e.g. loading a model that was not saved. */
    FAILED_PRECONDITION,
    /** The caller is not authenticated. */
    UNAUTHENTICATED,
    /** A dependency (scheduler, child process) is unavailable. */
    UNAVAILABLE,
    /** A deadline passed before the operation finished. */
    DEADLINE_EXCEEDED,
    /** A bug or an unexpected failure inside Kiln or a module. */
    INTERNAL
}
