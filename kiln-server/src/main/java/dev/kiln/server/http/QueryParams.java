package dev.kiln.server.http;

import dev.kiln.error.KilnException;
import io.javalin.http.Context;

/** Reads query parameters, with errors that name the parameter and the allowed range. */
final class QueryParams {
    private QueryParams() {}

    /**
     * A whole-number query parameter, or {@code fallback} when absent.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter, its value and the range
     */
    static long integer(Context ctx, String name, long fallback, long min, long max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw KilnException.invalidArgument("Query parameter " + name + " must be a whole number from " + min + " to "
                + max + "; got '" + text + "'");
    }

    /**
     * A query parameter that must be present and non-blank.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter
     */
    static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw KilnException.invalidArgument("Query parameter " + name + " is required");
        }
        return v;
    }
}
