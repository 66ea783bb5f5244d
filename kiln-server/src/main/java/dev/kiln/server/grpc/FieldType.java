package dev.kiln.server.grpc;

import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;

/**
 * The protobuf type of a field, as py-to-proto maps a Python type: {@code int} to int64, {@code float} to double,
 * {@code str} to string, {@code bool} to bool, {@code List[T]} to repeated T, {@code Dict[str, V]} to a map, a data
 * model class to its message, an {@code Enum} to an enum.
 *
 * @param type the scalar type, or TYPE_MESSAGE / TYPE_ENUM
 * @param typeName the fully qualified message or enum name ({@code .package.Name}), or null for scalars
 * @param repeated whether the field is repeated
 * @param mapValue the value type of a {@code map<string, V>}, or null when not a map
 */
record FieldType(FieldDescriptorProto.Type type, String typeName, boolean repeated, FieldType mapValue) {
    static FieldType scalar(FieldDescriptorProto.Type type) {
        return new FieldType(type, null, false, null);
    }

    static FieldType message(String fullName) {
        return new FieldType(FieldDescriptorProto.Type.TYPE_MESSAGE, "." + fullName, false, null);
    }

    static FieldType enumType(String fullName) {
        return new FieldType(FieldDescriptorProto.Type.TYPE_ENUM, "." + fullName, false, null);
    }

    static FieldType map(FieldType value) {
        return new FieldType(FieldDescriptorProto.Type.TYPE_MESSAGE, null, false, value);
    }

    FieldType asRepeated() {
        return new FieldType(type, typeName, true, null);
    }

    /** Whether the field can be a proto3 {@code optional} field (neither repeated nor a map). */
    boolean singular() {
        return !repeated && mapValue == null;
    }
}
