package dev.kiln.server.api;

/**
 * Every error the server answers with, in caikit's shape.
 *
 * @param code the HTTP status
 * @param details a sentence that names what is wrong
 * @param id a unique id for this error, also written to the server's log
 */
public record ErrorResponse(int code, String details, String id) {}
