package dev.kiln.server.client;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;

/** An error the server answered, with its HTTP status and the error id the server logged. */
public final class KilnServerException extends KilnException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorId;

    public KilnServerException(int status, String details, String errorId) {
        super(code(status), details);
        this.status = status;
        this.errorId = errorId;
    }

    /** The HTTP status the server answered. */
    public int status() {
        return status;
    }

    /** The id of the error in the server's log, or null. */
    public String errorId() {
        return errorId;
    }

    /** The error code for an HTTP status, the reverse of the server's table. */
    static ErrorCode code(int status) {
        return switch (status) {
            case 400, 413 -> ErrorCode.INVALID_ARGUMENT;
            case 401, 403 -> ErrorCode.UNAUTHENTICATED;
            case 404 -> ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 504 -> ErrorCode.DEADLINE_EXCEEDED;
            default -> ErrorCode.INTERNAL;
        };
    }
}
