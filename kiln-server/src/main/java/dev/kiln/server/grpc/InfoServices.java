package dev.kiln.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.kiln.KilnVersion;
import dev.kiln.module.ModuleType;
import io.grpc.ServerServiceDefinition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * caikit's InfoService: {@code GetRuntimeInfo} answers Kiln's version, the JVM's and each module's (in
 * {@code python_packages}, caikit's map of library versions), as {@code /info/version} does over HTTP;
 * {@code GetModelsInfo} the served models.
 */
final class InfoServices {
    private final KilnSchema schema;
    private final ModelServices models;
    private final DynamicMessage runtimeInfo;

    InfoServices(KilnSchema schema, ModelServices models) {
        this.schema = schema;
        this.models = models;
        Descriptor d = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".RuntimeInfoResponse");
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("kiln", KilnVersion.get());
        versions.put("java", System.getProperty("java.version"));
        for (ModuleType<?, ?> m : schema.trainRpcs().values()) {
            versions.put(m.descriptor().name(), m.descriptor().version());
        }
        FieldDescriptor packages = d.findFieldByName("python_packages");
        Descriptor entry = packages.getMessageType();
        DynamicMessage.Builder b =
                DynamicMessage.newBuilder(d).setField(d.findFieldByName("runtime_version"), KilnVersion.get());
        versions.forEach((k, v) -> b.addRepeatedField(
                packages,
                DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), k)
                        .setField(entry.findFieldByName("value"), v)
                        .build()));
        this.runtimeInfo = b.build();
    }

    ServerServiceDefinition definition() {
        return DynamicService.of(schema.service(KilnSchema.INFO))
                .unary("GetRuntimeInfo", req -> runtimeInfo)
                .unary("GetModelsInfo", models::modelsInfo)
                .build();
    }
}
