package dev.kiln.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.module.ParameterSpec;

/**
 * One training parameter of a module.
 *
 * @param name the JSON name
 * @param type integer, number, boolean, string, array, object, data_stream or model
 * @param javaType the Java type's name
 * @param defaultValue the default, or null
 * @param required whether a value must be given
 * @param description one sentence, possibly empty
 */
public record ParameterInfo(
        String name, String type, String javaType, JsonNode defaultValue, boolean required, String description) {

    /** The info of a parameter spec. */
    public static ParameterInfo of(ParameterSpec s) {
        return new ParameterInfo(s.name(), s.type(), s.javaType(), s.defaultValue(), s.required(), s.description());
    }
}
