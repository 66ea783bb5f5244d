package dev.kiln.server.grpc;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one message descriptor as py-to-proto would: plain fields, proto3 {@code optional} fields (with their
 * synthetic oneofs placed after the real ones), repeated fields, maps and oneofs.
 */
final class MessageBuilder {
    private final String name;
    private final List<FieldDescriptorProto> fields = new ArrayList<>();
    private final List<String> oneofs = new ArrayList<>();
    private final List<FieldDescriptorProto.Builder> optionals = new ArrayList<>();
    private final List<DescriptorProto> nested = new ArrayList<>();
    private final List<EnumDescriptorProto> enums = new ArrayList<>();

    private MessageBuilder(String name) {
        this.name = name;
    }

    static MessageBuilder message(String name) {
        return new MessageBuilder(name);
    }

    /** A scalar field. */
    MessageBuilder field(String field, int number, FieldDescriptorProto.Type type) {
        fields.add(base(field, number, Label.LABEL_OPTIONAL).setType(type).build());
        return this;
    }

    /** A field of a message or enum type, named fully ({@code .package.Name}). */
    MessageBuilder field(String field, int number, FieldDescriptorProto.Type type, String typeName) {
        fields.add(base(field, number, Label.LABEL_OPTIONAL)
                .setType(type)
                .setTypeName(typeName)
                .build());
        return this;
    }

    /** A repeated scalar field. */
    MessageBuilder repeated(String field, int number, FieldDescriptorProto.Type type) {
        fields.add(base(field, number, Label.LABEL_REPEATED).setType(type).build());
        return this;
    }

    /** A repeated field of a message or enum type. */
    MessageBuilder repeated(String field, int number, FieldDescriptorProto.Type type, String typeName) {
        fields.add(base(field, number, Label.LABEL_REPEATED)
                .setType(type)
                .setTypeName(typeName)
                .build());
        return this;
    }

    /** A proto3 {@code optional} field: one whose presence is tracked. */
    MessageBuilder optional(FieldType type, String field, int number) {
        FieldDescriptorProto.Builder b =
                base(field, number, Label.LABEL_OPTIONAL).setType(type.type()).setProto3Optional(true);
        if (type.typeName() != null) {
            b.setTypeName(type.typeName());
        }
        optionals.add(b);
        return this;
    }

    /** A field of any {@link FieldType}: repeated, map or singular. */
    MessageBuilder field(FieldType type, String field, int number) {
        if (type.mapValue() != null) {
            return map(field, number, type.mapValue());
        }
        FieldDescriptorProto.Builder b = base(
                        field, number, type.repeated() ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL)
                .setType(type.type());
        if (type.typeName() != null) {
            b.setTypeName(type.typeName());
        }
        fields.add(b.build());
        return this;
    }

    /** A {@code map<string, V>} field. */
    MessageBuilder map(String field, int number, FieldType value) {
        String entry = camel(field) + "Entry";
        FieldDescriptorProto.Builder v =
                FieldDescriptorProto.newBuilder().setName("value").setNumber(2).setLabel(Label.LABEL_OPTIONAL);
        v.setType(value.type());
        if (value.typeName() != null) {
            v.setTypeName(value.typeName());
        }
        nested.add(DescriptorProto.newBuilder()
                .setName(entry)
                .addField(FieldDescriptorProto.newBuilder()
                        .setName("key")
                        .setNumber(1)
                        .setLabel(Label.LABEL_OPTIONAL)
                        .setType(FieldDescriptorProto.Type.TYPE_STRING))
                .addField(v)
                .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                .build());
        fields.add(base(field, number, Label.LABEL_REPEATED)
                .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                .setTypeName(entry)
                .build());
        return this;
    }

    /** An enum declared inside this message, once however many fields use it. */
    MessageBuilder nestedEnum(EnumDescriptorProto e) {
        if (enums.stream().noneMatch(x -> x.getName().equals(e.getName()))) {
            enums.add(e);
        }
        return this;
    }

    /** A oneof of message fields, each {@code (name, number, typeName)}. */
    MessageBuilder oneof(String oneof, List<OneofMember> members) {
        int index = oneofs.size();
        oneofs.add(oneof);
        for (OneofMember m : members) {
            fields.add(base(m.name(), m.number(), Label.LABEL_OPTIONAL)
                    .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                    .setTypeName(m.typeName())
                    .setOneofIndex(index)
                    .build());
        }
        return this;
    }

    DescriptorProto build() {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name).addAllField(fields);
        List<String> all = new ArrayList<>(oneofs);
        for (FieldDescriptorProto.Builder f : optionals) {
            f.setOneofIndex(all.size());
            all.add("_" + f.getName());
            b.addField(f);
        }
        all.forEach(o -> b.addOneofDecl(OneofDescriptorProto.newBuilder().setName(o)));
        nested.forEach(b::addNestedType);
        enums.forEach(b::addEnumType);
        return b.build();
    }

    /** An enum, with values in the given order. */
    static EnumDescriptorProto enumType(String name, List<String> values, List<Integer> numbers) {
        EnumDescriptorProto.Builder b = EnumDescriptorProto.newBuilder().setName(name);
        for (int i = 0; i < values.size(); i++) {
            b.addValue(
                    EnumValueDescriptorProto.newBuilder().setName(values.get(i)).setNumber(numbers.get(i)));
        }
        return b.build();
    }

    private static FieldDescriptorProto.Builder base(String field, int number, Label label) {
        return FieldDescriptorProto.newBuilder()
                .setName(field)
                .setNumber(number)
                .setLabel(label)
                .setJsonName(jsonName(field));
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean up = true;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    private static String jsonName(String snake) {
        String c = camel(snake);
        return c.isEmpty() ? c : Character.toLowerCase(c.charAt(0)) + c.substring(1);
    }

    /** One member of a oneof. */
    record OneofMember(String name, int number, String typeName) {}
}
