package dev.kiln.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.data.RecordJson;

/**
 * The JSON mappers Kiln shares: a strict one for parameters and protocol, a lenient one for data. The
 * JSON ones know Kiln's parameter types ({@link KilnModule}); the layers below them use {@link RecordJson} and
 * {@link dev.kiln.config.KilnYaml}, which do not.
 */
public final class KilnJson {
    private KilnJson() {}

    /** Snake-case, no coercion, unknown properties fail: for training parameters and the worker protocol. */
    public static ObjectMapper strict() {
        return Strict.MAPPER;
    }

    /** Snake-case and lenient: for records read from data files, where CSV gives every value as text. */
    public static ObjectMapper data() {
        return Data.MAPPER;
    }

    // Each mapper is built on first use only: building one costs tens of milliseconds in a fresh JVM, and a worker
    // or CLI run rarely needs all three.

    private static final class Strict {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new JavaTimeModule())
                .addModule(new KilnModule())
                .build();
    }

    private static final class Data {
        static final ObjectMapper MAPPER =
                RecordJson.builder().addModule(new KilnModule()).build();
    }
}
