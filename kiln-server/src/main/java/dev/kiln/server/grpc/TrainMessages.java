package dev.kiln.server.grpc;

import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_BOOL;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_DOUBLE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_INT64;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_MESSAGE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_STRING;
import static dev.kiln.server.grpc.MessageBuilder.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import dev.kiln.data.DataStream;
import dev.kiln.error.KilnException;
import dev.kiln.json.Parameters;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleType;
import dev.kiln.module.ParameterSpec;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of one module's training RPC, generated as caikit's {@code ModuleClassTrainRPC} does:
 * {@code <Rpc>Request {model_name = 1, output_path = 2 (S3Path), parameters = 3}} and {@code <Rpc>Parameters} with
 * one field per training parameter, numbered in declaration order, proto3 {@code optional} when it has a default;
 * a data stream becomes {@code DataStreamSource<Element>}, a oneof of {@code jsondata = 1}, {@code file = 2},
 * {@code list_of_files = 3}, {@code directory = 4} and {@code s3files = 5} as caikit's default source plugins give.
 * Messages shared by several modules (data stream sources, record types) are generated once.
 */
final class TrainMessages {
    private final ServiceNames names;
    private final Map<String, DescriptorProto> messages = new LinkedHashMap<>();

    TrainMessages(ServiceNames names) {
        this.names = names;
    }

    /** The messages generated so far, in the order they were first needed. */
    List<DescriptorProto> messages() {
        return List.copyOf(messages.values());
    }

    /** Adds a module's request and parameters messages; answers the request's simple name. */
    String add(ModuleType<?, ?> module) {
        String rpc = ServiceNames.trainRpc(module.descriptor());
        MessageBuilder params = message(rpc + "Parameters");
        List<ParameterSpec> specs = Parameters.specs(module.parametersType());
        RecordComponent[] components = module.parametersType().getRecordComponents();
        for (int i = 0; i < specs.size(); i++) {
            ParameterSpec spec = specs.get(i);
            FieldType type = fieldType(components[i].getGenericType(), spec.name(), params, rpc + "Parameters");
            if (!spec.required() && type.singular()) {
                params.optional(type, spec.name(), i + 1);
            } else {
                params.field(type, spec.name(), i + 1);
            }
        }
        put(params.build());
        put(message(rpc + "Request")
                .field("model_name", 1, TYPE_STRING)
                .field("output_path", 2, TYPE_MESSAGE, CaikitMessages.common("S3Path"))
                .field("parameters", 3, TYPE_MESSAGE, "." + names.qualified(rpc + "Parameters"))
                .build());
        return rpc + "Request";
    }

    private void put(DescriptorProto m) {
        messages.putIfAbsent(m.getName(), m);
    }

    /**
     * The field's type; {@code scope} is the message being built (and {@code scopeName} its simple name), in which an
     * enum is declared as py-to-proto nests it, or null where an enum cannot be nested (a map's value).
     */
    private FieldType fieldType(Type type, String field, MessageBuilder scope, String scopeName) {
        Class<?> raw = raw(type);
        if (raw == int.class
                || raw == long.class
                || raw == short.class
                || raw == Integer.class
                || raw == Long.class
                || raw == Short.class) {
            return FieldType.scalar(TYPE_INT64);
        } else if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class) {
            return FieldType.scalar(TYPE_DOUBLE);
        } else if (raw == boolean.class || raw == Boolean.class) {
            return FieldType.scalar(TYPE_BOOL);
        } else if (raw == String.class) {
            return FieldType.scalar(TYPE_STRING);
        } else if (raw.isEnum()) {
            if (scope == null) {
                throw KilnException.invalidArgument("Parameter '" + field + "' has type " + type.getTypeName()
                        + ": a map of enum values has no protobuf form here; use a list of records");
            }
            scope.nestedEnum(EnumTypes.descriptor(raw));
            return FieldType.enumType(names.qualified(scopeName + "." + raw.getSimpleName()));
        } else if (DataStream.class.isAssignableFrom(raw)) {
            return FieldType.message(names.qualified(dataStreamSource(argument(type, 0, field), field)));
        } else if (Model.class.isAssignableFrom(raw)) {
            return FieldType.message(ServiceNames.RUNTIME_DATA_MODEL + ".ModelPointer");
        } else if (Collection.class.isAssignableFrom(raw)) {
            return element(argument(type, 0, field), field, scope, scopeName).asRepeated();
        } else if (type instanceof GenericArrayType a) {
            return element(a.getGenericComponentType(), field, scope, scopeName).asRepeated();
        } else if (raw.isArray()) {
            return element(raw.getComponentType(), field, scope, scopeName).asRepeated();
        } else if (Map.class.isAssignableFrom(raw)) {
            Type value = argument(type, 1, field);
            Class<?> v = raw(value);
            if (v == Object.class || v == JsonNode.class) {
                return FieldType.message("google.protobuf.Struct");
            }
            return FieldType.map(fieldType(value, field, null, null));
        } else if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return FieldType.message("google.protobuf.Struct");
        } else if (raw.isRecord()) {
            return FieldType.message(names.qualified(record(raw)));
        }
        throw KilnException.invalidArgument("Parameter '" + field + "' has type " + type.getTypeName()
                + ", which has no protobuf form; use a number, string, boolean, list, map, record or data stream");
    }

    private FieldType element(Type type, String field, MessageBuilder scope, String scopeName) {
        FieldType t = fieldType(type, field, scope, scopeName);
        if (!t.singular()) {
            throw KilnException.invalidArgument("Parameter '" + field + "' has type " + type.getTypeName()
                    + ": a list of lists or maps has no protobuf form");
        }
        return t;
    }

    /** A record becomes a message of its components, numbered in declaration order. */
    private String record(Class<?> type) {
        String name = type.getSimpleName();
        if (!messages.containsKey(name)) {
            messages.put(name, DescriptorProto.getDefaultInstance()); // placeholder against recursion
            MessageBuilder m = message(name);
            RecordComponent[] parts = type.getRecordComponents();
            for (int i = 0; i < parts.length; i++) {
                String field = snake(parts[i].getName());
                m.field(fieldType(parts[i].getGenericType(), field, m, name), field, i + 1);
            }
            messages.put(name, m.build());
        }
        return name;
    }

    /** caikit's {@code make_data_stream_source}: {@code DataStreamSource<Element>} and its JsonData message. */
    private String dataStreamSource(Type element, String field) {
        String elementName = elementName(element);
        String source = "DataStreamSource" + Character.toUpperCase(elementName.charAt(0)) + elementName.substring(1);
        if (!messages.containsKey(source)) {
            if (raw(element).isEnum()) {
                throw KilnException.invalidArgument("Parameter '" + field + "' is a data stream of enum values,"
                        + " which has no protobuf form; use a data stream of records");
            }
            FieldType data = element(element, field, null, null);
            put(message(source + "JsonData").field(data.asRepeated(), "data", 1).build());
            put(message(source)
                    .oneof(
                            "data_stream",
                            List.of(
                                    new MessageBuilder.OneofMember(
                                            "jsondata", 1, "." + names.qualified(source + "JsonData")),
                                    new MessageBuilder.OneofMember("file", 2, CaikitMessages.common("FileReference")),
                                    new MessageBuilder.OneofMember(
                                            "list_of_files", 3, CaikitMessages.common("ListOfFileReferences")),
                                    new MessageBuilder.OneofMember("directory", 4, CaikitMessages.common("Directory")),
                                    new MessageBuilder.OneofMember("s3files", 5, CaikitMessages.common("S3Files"))))
                    .build());
        }
        return source;
    }

    /** The element's name as caikit would see its Python type: a record's name, {@code JsonDict}, {@code str}… */
    private static String elementName(Type element) {
        Class<?> raw = raw(element);
        if (raw.isRecord()) {
            return raw.getSimpleName();
        } else if (raw == String.class) {
            return "str";
        } else if (raw == Integer.class || raw == Long.class) {
            return "int";
        } else if (raw == Double.class || raw == Float.class) {
            return "float";
        } else if (raw == Boolean.class) {
            return "bool";
        }
        return "JsonDict";
    }

    private static Type argument(Type type, int index, String field) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        throw KilnException.invalidArgument(
                "Parameter '" + field + "' has the raw type " + type.getTypeName() + "; give its type arguments");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        } else if (type instanceof GenericArrayType) {
            return Object[].class;
        }
        return Object.class;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
