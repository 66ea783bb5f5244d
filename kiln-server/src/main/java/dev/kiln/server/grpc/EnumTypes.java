package dev.kiln.server.grpc;

import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java enum as the protobuf enum py-to-proto makes of a Python {@code Enum}: named as the class, one value per
 * constant with the constant's name, and {@code PLACEHOLDER_UNSET = 0} first because no constant is numbered 0. A
 * Java constant has no value of its own, so constants are numbered from 1 in declaration order, as Python's
 * {@code enum.auto()} numbers members.
 */
final class EnumTypes {
    /** The zero value py-to-proto adds to an enum that has none: the field left unset. */
    static final String UNSET = "PLACEHOLDER_UNSET";

    private EnumTypes() {}

    static EnumDescriptorProto descriptor(Class<?> type) {
        List<String> names = new ArrayList<>(List.of(UNSET));
        List<Integer> numbers = new ArrayList<>(List.of(0));
        Object[] constants = type.getEnumConstants();
        for (int i = 0; i < constants.length; i++) {
            names.add(((Enum<?>) constants[i]).name());
            numbers.add(i + 1);
        }
        return MessageBuilder.enumType(type.getSimpleName(), names, numbers);
    }

    /** Whether a value is the placeholder, which means "not set". */
    static boolean unset(EnumValueDescriptor v) {
        return v.getNumber() == 0 && v.getName().equals(UNSET);
    }
}
