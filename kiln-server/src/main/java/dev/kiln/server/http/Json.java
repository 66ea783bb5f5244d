package dev.kiln.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.json.KilnJson;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes response bodies as snake_case JSON. */
final class Json {
    static final String CONTENT_TYPE = "application/json";

    private Json() {}

    static ObjectMapper mapper() {
        return KilnJson.strict();
    }

    /**
     * Sends {@code value} as the JSON body, with its length. The bytes go straight to the response: handing them to
     * {@code ctx.result} would copy them through a fresh buffer of the response buffer's size (32 KiB) per answer.
     */
    static void send(Context ctx, Object value) {
        byte[] body = bytes(value);
        ctx.contentType(CONTENT_TYPE);
        HttpServletResponse res = ctx.res();
        res.setContentLength(body.length);
        try {
            res.getOutputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("The client went away while its answer was written", e);
        }
    }

    static byte[] bytes(Object value) {
        try {
            return mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
