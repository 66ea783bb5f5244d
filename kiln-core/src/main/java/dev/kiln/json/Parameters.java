package dev.kiln.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.data.DataStream;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.module.Param;
import dev.kiln.module.ParameterSpec;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Introspects and binds typed parameters: JSON in, a module's parameters record out, with errors naming the field. */
public final class Parameters {
    private static final Map<Class<?>, List<ParameterSpec>> SPECS = new ConcurrentHashMap<>();

    private Parameters() {}

    /** The parameters of a record type, in declaration order. */
    public static List<ParameterSpec> specs(Class<?> type) {
        return SPECS.computeIfAbsent(type, Parameters::introspect);
    }

    private static List<ParameterSpec> introspect(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException("Parameters type " + type.getName() + " must be a record");
        }
        List<ParameterSpec> specs = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Param param = c.getAnnotation(Param.class);
            JsonNode def = null;
            if (param != null && !param.defaultValue().isEmpty()) {
                def = parseDefault(param.defaultValue());
            }
            boolean required = (param != null && param.required())
                    || (def == null && c.getType().isPrimitive());
            specs.add(new ParameterSpec(
                    jsonName(c),
                    jsonType(c.getType()),
                    c.getGenericType().getTypeName(),
                    def,
                    required,
                    param == null ? "" : param.description()));
        }
        return List.copyOf(specs);
    }

    private static String jsonName(RecordComponent c) {
        JsonProperty explicit = c.getAnnotation(JsonProperty.class);
        if (explicit != null && !explicit.value().isEmpty()) {
            return explicit.value();
        }
        return new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName());
    }

    private static JsonNode parseDefault(String text) {
        try {
            return KilnJson.strict().readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    /** The JSON type name for a Java type. */
    static String jsonType(Class<?> t) {
        if (t == int.class || t == long.class || t == Integer.class || t == Long.class || t == short.class) {
            return "integer";
        } else if (t == double.class || t == float.class || t == Double.class || t == Float.class) {
            return "number";
        } else if (t == boolean.class || t == Boolean.class) {
            return "boolean";
        } else if (t == String.class || t.isEnum()) {
            return "string";
        } else if (DataStream.class.isAssignableFrom(t)) {
            return "data_stream";
        } else if (Model.class.isAssignableFrom(t)) {
            return "model";
        } else if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "array";
        }
        return "object";
    }

    /**
     * Binds JSON parameters to a module's parameters record: defaults fill missing values.
     *
     * @throws KilnException INVALID_ARGUMENT for an unknown parameter, a wrong type or a missing required value,
     *     naming the field
     */
    public static <P> P bind(Class<P> type, JsonNode json, String moduleName) {
        if (json != null && !json.isNull() && !json.isObject()) {
            throw KilnException.invalidArgument("Parameters for module " + moduleName + " must be a JSON object");
        }
        List<ParameterSpec> specs = specs(type);
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        ObjectNode given = json == null || json.isNull() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) json;
        for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!byName.containsKey(name)) {
                throw KilnException.invalidArgument("Unknown parameter '" + name + "' for module " + moduleName
                        + "; known parameters: " + String.join(", ", byName.keySet()));
            }
        }
        ObjectNode full = given.deepCopy();
        for (ParameterSpec spec : specs) {
            JsonNode value = full.get(spec.name());
            if (value == null || value.isNull()) {
                if (spec.defaultValue() != null) {
                    full.set(spec.name(), spec.defaultValue());
                } else if (spec.required()) {
                    throw KilnException.invalidArgument(
                            "Missing required parameter '" + spec.name() + "' for module " + moduleName);
                }
            }
        }
        try {
            return KilnJson.strict().treeToValue(full, type);
        } catch (JsonMappingException e) {
            throw KilnException.invalidArgument(describe(e, byName, moduleName));
        } catch (JsonProcessingException e) {
            throw KilnException.invalidArgument(
                    "Invalid parameters for module " + moduleName + ": " + e.getOriginalMessage());
        }
    }

    private static String describe(JsonMappingException e, Map<String, ParameterSpec> specs, String moduleName) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
        Throwable cause = e.getCause();
        String why = cause instanceof KilnException ke ? ke.getMessage() : firstLine(e.getOriginalMessage());
        if (field == null) {
            return "Invalid parameters for module " + moduleName + ": " + why;
        }
        ParameterSpec spec = specs.get(field);
        String expected = spec == null ? "" : " (expected " + spec.type() + ")";
        return "Invalid value for parameter '" + field + "' of module " + moduleName + expected + ": " + why;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A parameters record as JSON, with data streams as descriptors and models as bytes. */
    public static ObjectNode toJson(Object parameters) {
        return KilnJson.strict().valueToTree(parameters);
    }
}
