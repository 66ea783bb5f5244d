package dev.kiln.server.grpc;

import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_BOOL;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_BYTES;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_ENUM;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_INT64;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_MESSAGE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_STRING;
import static dev.kiln.server.grpc.MessageBuilder.message;
import static dev.kiln.server.grpc.ServiceNames.COMMON_DATA_MODEL;
import static dev.kiln.server.grpc.ServiceNames.RUNTIME_DATA_MODEL;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.List;

/**
 * caikit's fixed messages and services, field for field as its data model declares them
 * ({@code caikit/interfaces/runtime/data_model/*}, {@code caikit/interfaces/common/data_model/stream_sources.py},
 * {@code caikit/core/data_model/job.py}) and as {@code caikit/runtime/names.py} names its services.
 */
final class CaikitMessages {
    static final String TIMESTAMP = ".google.protobuf.Timestamp";
    static final String STRUCT = ".google.protobuf.Struct";
    static final String TIMESTAMP_FILE = "google/protobuf/timestamp.proto";
    static final String STRUCT_FILE = "google/protobuf/struct.proto";

    static final String COMMON_FILE = "caikit_data_model.common.proto";
    static final String RUNTIME_FILE = "caikit_data_model.runtime.proto";

    /** caikit's JobStatus, with the zero value py-to-proto adds to an enum that lacks one. */
    static final List<String> JOB_STATUS =
            List.of("PLACEHOLDER_UNSET", "QUEUED", "RUNNING", "COMPLETED", "CANCELED", "ERRORED");

    private CaikitMessages() {}

    static String common(String name) {
        return "." + COMMON_DATA_MODEL + "." + name;
    }

    static String runtime(String name) {
        return "." + RUNTIME_DATA_MODEL + "." + name;
    }

    /** {@code caikit_data_model.common}: JobStatus and the data stream source messages. */
    static FileDescriptorProto commonFile() {
        return FileDescriptorProto.newBuilder()
                .setName(COMMON_FILE)
                .setPackage(COMMON_DATA_MODEL)
                .setSyntax("proto3")
                .addEnumType(MessageBuilder.enumType("JobStatus", JOB_STATUS, List.of(0, 1, 2, 3, 4, 5)))
                .addMessageType(message("File")
                        .field("data", 1, TYPE_BYTES)
                        .field("filename", 2, TYPE_STRING)
                        .field("type", 3, TYPE_STRING)
                        .build())
                .addMessageType(message("FileReference")
                        .field("filename", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("ListOfFileReferences")
                        .repeated("files", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("Directory")
                        .field("dirname", 1, TYPE_STRING)
                        .field("extension", 2, TYPE_STRING)
                        .build())
                .addMessageType(s3(message("S3Files").repeated("files", 1, TYPE_STRING)))
                .addMessageType(s3(message("S3Path").field("path", 1, TYPE_STRING)))
                .build();
    }

    private static com.google.protobuf.DescriptorProtos.DescriptorProto s3(MessageBuilder m) {
        return m.field("endpoint", 2, TYPE_STRING)
                .field("region", 3, TYPE_STRING)
                .field("bucket", 4, TYPE_STRING)
                .field("accessKey", 5, TYPE_STRING)
                .field("secretKey", 6, TYPE_STRING)
                .field("IAM_id", 7, TYPE_STRING)
                .field("IAM_api_key", 8, TYPE_STRING)
                .build();
    }

    /** {@code caikit_data_model.runtime}: the training, info and model management messages. */
    static FileDescriptorProto runtimeFile() {
        FieldType string = FieldType.scalar(TYPE_STRING);
        return FileDescriptorProto.newBuilder()
                .setName(RUNTIME_FILE)
                .setPackage(RUNTIME_DATA_MODEL)
                .setSyntax("proto3")
                .addDependency(COMMON_FILE)
                .addDependency(TIMESTAMP_FILE)
                .addDependency(STRUCT_FILE)
                .addMessageType(message("TrainingInfoRequest")
                        .field("training_id", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("TrainingJob")
                        .field("training_id", 1, TYPE_STRING)
                        .field("model_name", 2, TYPE_STRING)
                        .build())
                .addMessageType(message("ModelPointer")
                        .field("model_id", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("TrainingStatusResponse")
                        .field("training_id", 1, TYPE_STRING)
                        .field("state", 2, TYPE_ENUM, common("JobStatus"))
                        .field("submission_timestamp", 3, TYPE_MESSAGE, TIMESTAMP)
                        .field("completion_timestamp", 4, TYPE_MESSAGE, TIMESTAMP)
                        .repeated("reasons", 5, TYPE_STRING)
                        .build())
                .addMessageType(message("PredictionJobInfoRequest")
                        .field("prediction_id", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("PredictionJob")
                        .field("prediction_id", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("PredictionJobStatusResponse")
                        .field("prediction_id", 1, TYPE_STRING)
                        .field("state", 2, TYPE_ENUM, common("JobStatus"))
                        .field("submission_timestamp", 3, TYPE_MESSAGE, TIMESTAMP)
                        .field("completion_timestamp", 4, TYPE_MESSAGE, TIMESTAMP)
                        .repeated("reasons", 5, TYPE_STRING)
                        .build())
                .addMessageType(message("RuntimeInfoRequest").build())
                .addMessageType(message("RuntimeInfoResponse")
                        .field("runtime_version", 1, TYPE_STRING)
                        .map("python_packages", 2, string)
                        .build())
                .addMessageType(message("ModelInfoRequest")
                        .repeated("model_ids", 1, TYPE_STRING)
                        .build())
                .addMessageType(message("ModelInfo")
                        .field("model_path", 1, TYPE_STRING)
                        .field("name", 2, TYPE_STRING)
                        .field("size", 3, TYPE_INT64)
                        .field("metadata", 4, TYPE_MESSAGE, STRUCT)
                        .field("module_id", 5, TYPE_STRING)
                        .map("module_metadata", 6, string)
                        .field("loaded", 7, TYPE_BOOL)
                        .build())
                .addMessageType(message("ModelInfoResponse")
                        .repeated("models", 1, TYPE_MESSAGE, runtime("ModelInfo"))
                        .build())
                .addMessageType(message("DeployModelRequest")
                        .field("model_id", 1, TYPE_STRING)
                        .repeated("model_files", 2, TYPE_MESSAGE, common("File"))
                        .build())
                .addMessageType(message("UndeployModelRequest")
                        .field("model_id", 1, TYPE_STRING)
                        .build())
                .build();
    }

    /** A service file with unary methods, each {@code {name, input, output}} with fully qualified type names. */
    static FileDescriptorProto serviceFile(String pkg, String service, List<String> deps, List<String[]> methods) {
        ServiceDescriptorProto.Builder s = ServiceDescriptorProto.newBuilder().setName(service);
        for (String[] m : methods) {
            s.addMethod(MethodDescriptorProto.newBuilder()
                    .setName(m[0])
                    .setInputType(m[1])
                    .setOutputType(m[2])
                    .setServerStreaming(m.length > 3));
        }
        return FileDescriptorProto.newBuilder()
                .setName(pkg + "." + service + ".proto")
                .setPackage(pkg)
                .setSyntax("proto3")
                .addAllDependency(deps)
                .addService(s)
                .build();
    }
}
