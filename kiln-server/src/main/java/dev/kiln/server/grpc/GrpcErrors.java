package dev.kiln.server.grpc;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kiln's errors as gRPC statuses, in caikit's mapping: a bad request is INVALID_ARGUMENT, an unknown id NOT_FOUND, a
 * clash ALREADY_EXISTS, a missing or wrong token UNAUTHENTICATED, a server that is stopping UNAVAILABLE; anything
 * unexpected is INTERNAL with a generic message, logged with its stack trace.
 */
final class GrpcErrors {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    static Status.Code code(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case CONFLICT -> Status.Code.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
            case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case DEADLINE_EXCEEDED -> Status.Code.DEADLINE_EXCEEDED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** The status to answer a failed call with. */
    static StatusRuntimeException toStatus(Throwable e, String method) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (e instanceof KilnException k) {
            return Status.fromCode(code(k.code()))
                    .withDescription(k.getMessage())
                    .asRuntimeException();
        }
        LOG.error("gRPC call {} failed unexpectedly", method, e);
        return Status.INTERNAL
                .withDescription(
                        "Unhandled exception in " + method + ": " + e.getClass().getSimpleName())
                .asRuntimeException();
    }
}
