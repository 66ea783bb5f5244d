package dev.kiln.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.kiln.error.KilnException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies within the size limit and parses them as strict JSON, naming where parsing failed. */
final class RequestBodies {
    private static final ObjectReader READER = Json.mapper()
            .reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final long MIN_DRAIN_BYTES = 1 << 20;

    private final long limit;

    RequestBodies(long limit) {
        this.limit = limit;
    }

    /**
     * The body as JSON.
     *
     * @throws HttpResponseException 415 if it is declared as another type (413 if it is larger than the limit, which
     *     the prefetch answers before any route runs)
     * @throws KilnException INVALID_ARGUMENT if it is empty or malformed, naming the line and column
     */
    JsonNode json(Context ctx) {
        requireJsonType(ctx);
        byte[] body = read(ctx);
        if (body.length == 0) {
            throw KilnException.invalidArgument("The request body is empty; expected a JSON object");
        }
        try {
            return READER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw KilnException.invalidArgument(
                    "Malformed JSON in the request body" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw KilnException.invalidArgument("Unreadable request body: " + e.getMessage());
        }
    }

    /** As caikit's {@code pydantic_from_request}: a body declared as anything but JSON is 415 (none is fine). */
    private static void requireJsonType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            return;
        }
        String media = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            throw new HttpResponseException(415, "Unsupported media type: " + type + "; send application/json");
        }
    }

    /** The body; {@link BodyPrefetchHandler} has already refused one over the limit, so this only guards. */
    private byte[] read(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (body.length > limit) {
                throw new HttpResponseException(413, tooLarge(limit));
            }
            return body;
        } catch (IOException e) {
            throw KilnException.invalidArgument("Could not read the request body: " + e.getMessage());
        }
    }

    /** What a 413 says: the body is over {@code limit}, and which setting sets it. */
    static String tooLarge(long limit) {
        return "The request body is larger than " + limit + " bytes (runtime.http.max_body_bytes)";
    }

    /** The most bytes of an oversized body read before answering: four times the limit, at least 1 MiB. */
    static long drainBound(long limit) {
        return Math.max(MIN_DRAIN_BYTES, limit > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : limit * 4);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
