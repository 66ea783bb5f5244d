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
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.module.Param;
import dev.kiln.module.ParameterSpec;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        return bind(type, json, moduleName, FileSourcePolicy.unrestricted());
    }

    /**
     * Binds JSON parameters as {@link #bind(Class, JsonNode, String)} does, with every data stream reading its
     * files under {@code files}.
     *
     * @throws KilnException INVALID_ARGUMENT for an unknown parameter, a wrong type or a missing required value,
     *     naming the field
     */
    public static <P> P bind(Class<P> type, JsonNode json, String moduleName, FileSourcePolicy files) {
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
            return KilnJson.strict()
                    .readerFor(type)
                    .withAttribute(FileSourcePolicy.class, files)
                    .readValue(full);
        } catch (JsonMappingException e) {
            throw KilnException.invalidArgument(describe(e, byName, moduleName));
        } catch (JsonProcessingException e) {
            throw KilnException.invalidArgument(
                    "Invalid parameters for module " + moduleName + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw KilnException.invalidArgument("Invalid parameters for module " + moduleName + ": " + e.getMessage());
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

    /**
     * The directory the data streams among {@code parameters} are confined to, if they are: what a worker in another
     * process must confine them to again, since their JSON descriptors do not carry it.
     *
     * @throws KilnException INVALID_ARGUMENT if the streams are confined differently from one another
     */
    public static Optional<Path> dataBase(Object parameters) {
        Set<Optional<Path>> bases = new HashSet<>();
        RecordComponent[] components = parameters.getClass().getRecordComponents();
        for (RecordComponent c : components == null ? new RecordComponent[0] : components) {
            Object value;
            try {
                value = c.getAccessor().invoke(parameters);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot read parameter " + c.getName(), e);
            }
            streams(value).forEach(stream -> bases.add(stream.fileSourcePolicy().base()));
        }
        if (bases.size() > 1) {
            throw KilnException.invalidArgument(
                    "The data streams of one training must all be read under the same data directory; got " + bases);
        }
        return bases.stream().findFirst().flatMap(b -> b);
    }

    private static List<DataStream<?>> streams(Object value) {
        if (value instanceof DataStream<?> stream) {
            return List.of(stream);
        }
        Iterable<?> items = value instanceof Collection<?> collection
                ? collection
                : value instanceof Object[] array ? Arrays.asList(array) : List.of();
        List<DataStream<?>> out = new ArrayList<>();
        items.forEach(item -> {
            if (item instanceof DataStream<?> stream) {
                out.add(stream);
            }
        });
        return out;
    }

    /** A parameters record as JSON, with data streams as descriptors and models as bytes. */
    public static ObjectNode toJson(Object parameters) {
        return KilnJson.strict().valueToTree(parameters);
    }
}
