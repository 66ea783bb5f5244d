package dev.kiln.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The lenient, snake-case mapper that turns data-file rows into records; CSV gives every value as text. Records
 * hold plain values, so it needs none of Kiln's own types.
 */
public final class RecordJson {
    private RecordJson() {}

    /** A builder with the record settings, for mappers that add more modules on top. */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new JavaTimeModule());
    }

    /** The shared record mapper. */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    // built on first use only: building a mapper costs tens of milliseconds in a fresh JVM
    private static final class Holder {
        static final ObjectMapper MAPPER = builder().build();
    }
}
