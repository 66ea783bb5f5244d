package dev.kiln.server.http;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.server.api.ErrorResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one exception mapper: error codes to HTTP statuses in one table, every error as caikit's error JSON. */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    /** How each transport-neutral code is answered. */
    private static final Map<ErrorCode, Integer> STATUS = new EnumMap<>(Map.of(
            ErrorCode.INVALID_ARGUMENT, 400,
            ErrorCode.FAILED_PRECONDITION, 400,
            ErrorCode.UNAUTHENTICATED, 401,
            ErrorCode.NOT_FOUND, 404,
            ErrorCode.CONFLICT, 409,
            ErrorCode.INTERNAL, 500,
            ErrorCode.UNAVAILABLE, 503,
            ErrorCode.DEADLINE_EXCEEDED, 504));

    private ErrorResponses() {}

    /** The HTTP status for an error code. */
    static int status(ErrorCode code) {
        return STATUS.get(code);
    }

    /** {@code text} with unpaired surrogates (which JSON cannot carry as UTF-8) written as escapes. */
    static String wellFormed(String text) {
        return text == null || NoFollowPaths.isWellFormed(text) ? text : NoFollowPaths.printable(text);
    }

    /** Answers any exception a handler threw. */
    static void handle(Exception e, Context ctx) {
        int status;
        String details;
        if (e instanceof KilnException ke) {
            status = status(ke.code());
            details = ke.getMessage();
        } else if (e instanceof EndpointNotFound) {
            status = 404;
            details = "No route for " + ctx.method() + " " + ctx.path() + "; see /openapi.json for the routes";
        } else if (e instanceof HttpResponseException he) {
            status = he.getStatus();
            details = he.getMessage();
        } else {
            status = 500;
            details = "Internal error: " + e;
        }
        String id = UUID.randomUUID().toString();
        if (status >= 500 && !(e instanceof KilnException)) {
            LOG.error("Error {} answering {} {}: {}", id, ctx.method(), ctx.path(), details, e);
        } else if (status >= 500 && e.getCause() != null) {
            // a failure underneath, such as the journal's; its message names it, so no stack trace
            LOG.warn("Error {} answering {} {}: {}", id, ctx.method(), ctx.path(), details);
        } else {
            // a refusal the server chose, such as a submission while it shuts down: the answer says it all
            LOG.debug("Error {} answering {} {}: {} {}", id, ctx.method(), ctx.path(), status, details);
        }
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"kiln\"");
        }
        Json.send(ctx.status(status), new ErrorResponse(status, wellFormed(details), id));
    }
}
