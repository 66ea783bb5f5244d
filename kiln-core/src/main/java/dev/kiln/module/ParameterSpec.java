package dev.kiln.module;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One training parameter as callers see it: for CLI help and the HTTP schema.
 *
 * @param name the snake_case name used in JSON
 * @param type the JSON type: integer, number, boolean, string, array, object, data_stream or model
 * @param javaType the Java type's name
 * @param defaultValue the default, or null when there is none
 * @param required whether a value must be given
 * @param description one sentence, possibly empty
 */
public record ParameterSpec(
        String name, String type, String javaType, JsonNode defaultValue, boolean required, String description) {}
