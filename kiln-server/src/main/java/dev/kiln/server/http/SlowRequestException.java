package dev.kiln.server.http;

import java.util.concurrent.TimeoutException;

/** A request body that arrived too slowly; its message names the setting it broke. */
final class SlowRequestException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    SlowRequestException(String message) {
        super(message);
    }
}
