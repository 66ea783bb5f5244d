package dev.kiln.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.json.KilnJson;
import io.javalin.http.Context;

/** Writes response bodies as snake_case JSON. */
final class Json {
    static final String CONTENT_TYPE = "application/json";

    private Json() {}

    static ObjectMapper mapper() {
        return KilnJson.strict();
    }

    /** Sends {@code value} as the JSON body. */
    static void send(Context ctx, Object value) {
        ctx.contentType(CONTENT_TYPE).result(bytes(value));
    }

    static byte[] bytes(Object value) {
        try {
            return mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
