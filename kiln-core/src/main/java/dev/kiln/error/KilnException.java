package dev.kiln.error;

import java.util.Objects;

/** The root of Kiln's exceptions: a message that names the thing at fault and a transport-neutral code. */
public class KilnException extends RuntimeException {
    private final ErrorCode code;

    public KilnException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public KilnException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The code a transport maps to its own status. */
    public ErrorCode code() {
        return code;
    }

    public static KilnException invalidArgument(String message) {
        return new KilnException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static KilnException notFound(String message) {
        return new KilnException(ErrorCode.NOT_FOUND, message);
    }

    public static KilnException conflict(String message) {
        return new KilnException(ErrorCode.CONFLICT, message);
    }

    public static KilnException failedPrecondition(String message) {
        return new KilnException(ErrorCode.FAILED_PRECONDITION, message);
    }
}
