package dev.kiln.server.http;

import dev.kiln.files.NoFollowPaths;
import dev.kiln.server.api.ErrorResponse;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the errors Jetty raises itself, before any route runs (a URI or header too large, bad percent-encoding, an
 * unsupported HTTP version), in Kiln's JSON error shape instead of Jetty's HTML page.
 *
 * <p>The server closes the connection after such an answer, since it cannot tell where the next request would begin;
 * the answer says so ({@code Connection: close}), so that a client does not send its next request down a connection
 * that is about to close and lose it.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    /** The sentence for {@code code}, naming what was wrong with the request. */
    static String details(int code, String message) {
        String what = switch (code) {
            case HttpStatus.URI_TOO_LONG_414 -> "The request URI is too long";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "The request headers are too large";
            case HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 -> "The HTTP version is not supported";
            case HttpStatus.BAD_REQUEST_400 -> "The request is malformed: its URI or headers cannot be read";
            case HttpStatus.REQUEST_TIMEOUT_408 -> "The request did not arrive in time";
            default -> HttpStatus.getMessage(code);
        };
        return message == null || message.isBlank() || message.equals(HttpStatus.getMessage(code))
                ? what
                : what + ": " + ErrorResponses.wellFormed(message);
    }

    /**
     * For a malformed request, the path it asked for as it arrived (percent-encoding kept, at most 200 characters), so
     * the client sees which part was refused; empty when there is none to show.
     */
    static String target(Request request, int code) {
        if (code != HttpStatus.BAD_REQUEST_400 || request == null) {
            return "";
        }
        try {
            String path =
                    request.getHttpURI() == null ? null : request.getHttpURI().getPath();
            if (path == null || path.isEmpty() || path.equals("/badMessage")) {
                return "";
            }
            String shown = path.length() > 200 ? path.substring(0, 200) + "…" : path;
            return " (path '" + NoFollowPaths.printable(shown) + "')";
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String id = UUID.randomUUID().toString();
        String details = details(code, message) + target(request, code);
        LOG.debug("Error {} answering a request the server could not read: {} {}", id, code, details);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(Json.bytes(new ErrorResponse(code, details, id))), callback);
    }
}
