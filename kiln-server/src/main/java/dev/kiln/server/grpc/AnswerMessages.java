package dev.kiln.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * A model's JSON answer as the protobuf message its RPC returns, built straight from the JSON tree with protobuf's
 * JSON mapping (fields by JSON or proto name, {@code null} for an unset field, enums by name or number, 64-bit
 * integers as numbers or strings, bytes in base64, {@code google.protobuf.Value}, {@code Struct} and
 * {@code ListValue} as any JSON), without printing the tree and parsing the text again as {@code JsonFormat} would.
 */
final class AnswerMessages {
    private static final String VALUE = "google.protobuf.Value";
    private static final String STRUCT = "google.protobuf.Struct";
    private static final String LIST_VALUE = "google.protobuf.ListValue";

    private AnswerMessages() {}

    /**
     * The message of type {@code type} that {@code json} describes.
     *
     * @throws IllegalArgumentException naming the JSON path whose value the type cannot hold
     */
    static DynamicMessage of(JsonNode json, Descriptor type) {
        return message(json, type, "$");
    }

    private static DynamicMessage message(JsonNode json, Descriptor type, String path) {
        switch (type.getFullName()) {
            case VALUE -> {
                return value(json, type, path);
            }
            case STRUCT -> {
                return struct(json, type, path);
            }
            case LIST_VALUE -> {
                return list(json, type, path);
            }
            default -> {}
        }
        if (!json.isObject()) {
            throw mismatch(path, type.getFullName(), json);
        }
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            FieldDescriptor f = field(type, e.getKey());
            if (f == null) {
                throw new IllegalArgumentException(
                        path + "." + e.getKey() + " is not a field of " + type.getFullName());
            }
            set(b, f, e.getValue(), path + "." + e.getKey());
        }
        return b.build();
    }

    private static FieldDescriptor field(Descriptor type, String name) {
        FieldDescriptor f = type.findFieldByName(name);
        if (f != null) {
            return f;
        }
        for (FieldDescriptor candidate : type.getFields()) {
            if (candidate.getJsonName().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    private static void set(DynamicMessage.Builder b, FieldDescriptor f, JsonNode v, String path) {
        boolean valueMessage = f.getType() == FieldDescriptor.Type.MESSAGE
                && f.getMessageType().getFullName().equals(VALUE);
        if (v.isNull() && (f.isRepeated() || !valueMessage)) {
            return;
        }
        if (f.isMapField()) {
            if (!v.isObject()) {
                throw mismatch(path, "a map", v);
            }
            Descriptor entry = f.getMessageType();
            FieldDescriptor key = entry.findFieldByName("key");
            FieldDescriptor value = entry.findFieldByName("value");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                DynamicMessage.Builder eb = DynamicMessage.newBuilder(entry);
                eb.setField(key, scalar(key, TextNode.valueOf(e.getKey()), path));
                eb.setField(value, single(value, e.getValue(), path + "." + e.getKey()));
                b.addRepeatedField(f, eb.build());
            }
        } else if (f.isRepeated()) {
            if (!v.isArray()) {
                throw mismatch(path, "an array", v);
            }
            for (int i = 0; i < v.size(); i++) {
                b.addRepeatedField(f, single(f, v.get(i), path + "[" + i + "]"));
            }
        } else {
            b.setField(f, single(f, v, path));
        }
    }

    private static Object single(FieldDescriptor f, JsonNode v, String path) {
        return f.getType() == FieldDescriptor.Type.MESSAGE ? message(v, f.getMessageType(), path) : scalar(f, v, path);
    }

    private static Object scalar(FieldDescriptor f, JsonNode v, String path) {
        switch (f.getType()) {
            case STRING -> {
                if (v.isTextual()) {
                    return v.textValue();
                }
            }
            case DOUBLE, FLOAT -> {
                Double d = v.isNumber() ? Double.valueOf(v.doubleValue()) : special(v);
                if (d != null) {
                    return f.getType() == FieldDescriptor.Type.FLOAT ? (Object) d.floatValue() : (Object) d;
                }
            }
            case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> {
                if (integral(v) && v.canConvertToInt()) {
                    return v.asInt();
                }
            }
            case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> {
                if (integral(v) && v.canConvertToLong()) {
                    return v.asLong();
                }
            }
            case BOOL -> {
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
            }
            case BYTES -> {
                if (v.isTextual()) {
                    try {
                        return ByteString.copyFrom(Base64.getDecoder().decode(v.textValue()));
                    } catch (IllegalArgumentException e) {
                        throw mismatch(path, "base64 bytes", v);
                    }
                }
            }
            case ENUM -> {
                EnumValueDescriptor e = v.isTextual()
                        ? f.getEnumType().findValueByName(v.textValue())
                        : v.isIntegralNumber() ? f.getEnumType().findValueByNumber(v.asInt()) : null;
                if (e != null) {
                    return e;
                }
            }
            default -> {}
        }
        throw mismatch(path, f.getType().name().toLowerCase(Locale.ROOT), v);
    }

    private static boolean integral(JsonNode v) {
        if (v.isIntegralNumber()) {
            return true;
        }
        if (v.isTextual()) {
            try {
                Long.parseLong(v.textValue());
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue());
    }

    /** protobuf's JSON names for the numbers JSON has none for, or null. */
    private static Double special(JsonNode v) {
        if (!v.isTextual()) {
            return null;
        }
        return switch (v.textValue()) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    private static DynamicMessage value(JsonNode json, Descriptor type, String path) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        if (json.isNull() || json.isMissingNode()) {
            FieldDescriptor f = type.findFieldByName("null_value");
            b.setField(f, f.getEnumType().findValueByNumber(0));
        } else if (json.isNumber()) {
            b.setField(type.findFieldByName("number_value"), json.doubleValue());
        } else if (json.isTextual()) {
            b.setField(type.findFieldByName("string_value"), json.textValue());
        } else if (json.isBoolean()) {
            b.setField(type.findFieldByName("bool_value"), json.booleanValue());
        } else if (json.isObject()) {
            FieldDescriptor f = type.findFieldByName("struct_value");
            b.setField(f, struct(json, f.getMessageType(), path));
        } else if (json.isArray()) {
            FieldDescriptor f = type.findFieldByName("list_value");
            b.setField(f, list(json, f.getMessageType(), path));
        } else {
            throw mismatch(path, VALUE, json);
        }
        return b.build();
    }

    private static DynamicMessage struct(JsonNode json, Descriptor type, String path) {
        if (!json.isObject()) {
            throw mismatch(path, STRUCT, json);
        }
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        set(b, type.findFieldByName("fields"), json, path);
        return b.build();
    }

    private static DynamicMessage list(JsonNode json, Descriptor type, String path) {
        if (!json.isArray()) {
            throw mismatch(path, LIST_VALUE, json);
        }
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
        set(b, type.findFieldByName("values"), json, path);
        return b.build();
    }

    private static IllegalArgumentException mismatch(String path, String expected, JsonNode v) {
        return new IllegalArgumentException(path + " is "
                + v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + abbreviate(v) + ", not " + expected);
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
