package dev.kiln.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import dev.kiln.error.KilnException;
import java.util.Base64;
import java.util.List;

/**
 * A training's parameters message as the JSON the modules bind: fields by their proto names; a field without presence
 * always (a repeated one when not empty), one with presence (proto3 {@code optional}, messages) only when set, so that defaults apply; a
 * {@code DataStreamSource} as Kiln's caikit-shaped stream descriptor; {@code google.protobuf.Struct} as a JSON object;
 * an enum as its value's name, which binds to the Java constant of that name.
 */
final class MessageJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String STREAM_ONEOF = "data_stream";

    private MessageJson() {}

    /**
     * The JSON form of a message.
     *
     * @throws KilnException INVALID_ARGUMENT for a data stream from S3, which this runtime does not read
     */
    static ObjectNode object(Message m, String path) {
        Descriptor d = m.getDescriptorForType();
        switch (d.getFullName()) {
            case "google.protobuf.Struct" -> {
                return struct(m);
            }
            default -> {
                OneofDescriptor stream = d.getOneofs().stream()
                        .filter(o -> o.getName().equals(STREAM_ONEOF))
                        .findFirst()
                        .orElse(null);
                if (stream != null && d.getName().startsWith("DataStreamSource")) {
                    return dataStream(m, stream, path);
                }
            }
        }
        ObjectNode out = F.objectNode();
        for (FieldDescriptor f : d.getFields()) {
            String at = path.isEmpty() ? f.getName() : path + "." + f.getName();
            if (f.isMapField()) {
                ObjectNode map = F.objectNode();
                for (Object entry : (List<?>) m.getField(f)) {
                    Message e = (Message) entry;
                    FieldDescriptor key = e.getDescriptorForType().findFieldByName("key");
                    FieldDescriptor value = e.getDescriptorForType().findFieldByName("value");
                    map.set(String.valueOf(e.getField(key)), value(value, e.getField(value), at));
                }
                if (!map.isEmpty()) {
                    out.set(f.getName(), map);
                }
            } else if (f.isRepeated()) {
                ArrayNode array = F.arrayNode();
                for (Object v : (List<?>) m.getField(f)) {
                    array.add(value(f, v, at));
                }
                if (!array.isEmpty()) {
                    out.set(f.getName(), array);
                }
            } else if ((!f.hasPresence() || m.hasField(f)) && !placeholder(f, m.getField(f))) {
                out.set(f.getName(), value(f, m.getField(f), at));
            }
        }
        return out;
    }

    /** An enum left at py-to-proto's {@code PLACEHOLDER_UNSET} is unset, so that its default applies. */
    private static boolean placeholder(FieldDescriptor f, Object v) {
        return f.getJavaType() == FieldDescriptor.JavaType.ENUM && EnumTypes.unset((EnumValueDescriptor) v);
    }

    private static JsonNode value(FieldDescriptor f, Object v, String path) {
        return switch (f.getJavaType()) {
            case INT -> F.numberNode((Integer) v);
            case LONG -> F.numberNode((Long) v);
            case FLOAT -> F.numberNode((Float) v);
            case DOUBLE -> F.numberNode((Double) v);
            case BOOLEAN -> F.booleanNode((Boolean) v);
            case STRING -> F.textNode((String) v);
            case BYTE_STRING -> F.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM -> F.textNode(((EnumValueDescriptor) v).getName());
            case MESSAGE -> object((Message) v, path);
        };
    }

    /** caikit's data stream oneof as Kiln's stream descriptor ({@code data}, {@code file}, …). */
    private static ObjectNode dataStream(Message m, OneofDescriptor oneof, String path) {
        FieldDescriptor set = m.getOneofFieldDescriptor(oneof);
        ObjectNode out = F.objectNode();
        if (set == null) {
            throw KilnException.invalidArgument(
                    path + " sets none of its data stream sources: jsondata, file, list_of_files or directory");
        }
        Message source = (Message) m.getField(set);
        switch (set.getName()) {
            case "jsondata" ->
                out.set("data", object(source, path + ".jsondata").withArray("data"));
            case "file", "list_of_files" -> out.set(set.getName(), object(source, path + "." + set.getName()));
            case "directory" -> {
                ObjectNode dir = object(source, path + ".directory");
                if (dir.path("extension").asText().isEmpty()) {
                    dir.remove("extension");
                }
                out.set("directory", dir);
            }
            default ->
                throw KilnException.invalidArgument(path + "." + set.getName()
                        + ": S3Files are not implemented as stream sources in this runtime; use jsondata, file,"
                        + " list_of_files or directory");
        }
        return out;
    }

    /** A {@code google.protobuf.Struct} or {@code Value} as JSON, whole numbers as integers. */
    static JsonNode structOrValue(Message m) {
        return m.getDescriptorForType().getFullName().equals("google.protobuf.Value") ? structValue(m) : struct(m);
    }

    private static ObjectNode struct(Message m) {
        ObjectNode out = F.objectNode();
        FieldDescriptor fields = m.getDescriptorForType().findFieldByName("fields");
        for (Object entry : (List<?>) m.getField(fields)) {
            Message e = (Message) entry;
            Descriptor ed = e.getDescriptorForType();
            out.set((String) e.getField(ed.findFieldByName("key")), structValue((Message)
                    e.getField(ed.findFieldByName("value"))));
        }
        return out;
    }

    private static JsonNode structValue(Message v) {
        Descriptor d = v.getDescriptorForType();
        FieldDescriptor kind = v.getOneofFieldDescriptor(d.getOneofs().get(0));
        if (kind == null) {
            return F.nullNode();
        }
        Object x = v.getField(kind);
        return switch (kind.getName()) {
            case "number_value" -> {
                double n = (Double) x;
                yield n == Math.rint(n) && Math.abs(n) < 1e15 ? F.numberNode((long) n) : F.numberNode(n);
            }
            case "string_value" -> F.textNode((String) x);
            case "bool_value" -> F.booleanNode((Boolean) x);
            case "struct_value" -> struct((Message) x);
            case "list_value" -> {
                ArrayNode array = F.arrayNode();
                Message list = (Message) x;
                for (Object item :
                        (List<?>) list.getField(list.getDescriptorForType().findFieldByName("values"))) {
                    array.add(structValue((Message) item));
                }
                yield array;
            }
            default -> F.nullNode();
        };
    }
}
