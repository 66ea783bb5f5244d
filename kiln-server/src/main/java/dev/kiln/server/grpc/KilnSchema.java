package dev.kiln.server.grpc;

import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_DOUBLE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_INT32;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_INT64;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_MESSAGE;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type.TYPE_STRING;
import static dev.kiln.server.grpc.CaikitMessages.runtime;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.serving.task.TaskRegistry;
import dev.kiln.serving.task.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every gRPC message and service Kiln serves, built at run time as protobuf descriptors: caikit's fixed runtime
 * messages and services, the training service of the configured domain with one RPC per module (its messages
 * generated from the module's parameters), and Kiln's training watch service.
 */
public final class KilnSchema {
    /** caikit's training management service. */
    public static final String TRAINING_MANAGEMENT = ServiceNames.TRAINING_MANAGEMENT_PACKAGE + ".TrainingManagement";
    /** caikit's info service. */
    public static final String INFO = ServiceNames.INFO_PACKAGE + ".InfoService";
    /** caikit's model management service. */
    public static final String MODEL_MANAGEMENT = ServiceNames.MODEL_MANAGEMENT_PACKAGE + ".ModelManagement";
    /** Kiln's service following one training. */
    public static final String TRAINING_WATCH = ServiceNames.KILN_PACKAGE + ".TrainingWatch";

    /** Kiln's answer to a regression: {@code {value = 1}}. */
    public static final String REGRESSION_RESULT = ServiceNames.KILN_PACKAGE + ".RegressionResult";

    private final ServiceNames names;
    private final Map<String, FileDescriptor> files = new LinkedHashMap<>();
    private final Map<String, ModuleType<?, ?>> trainRpcs = new TreeMap<>();
    private final Map<String, TaskSpec> predictRpcs = new TreeMap<>();

    private KilnSchema(ServiceNames names) {
        this.names = names;
    }

    /**
     * The schema for these modules under these names.
     *
     * @throws KilnException INVALID_ARGUMENT if a module's parameters have no protobuf form or two modules share an
     *     RPC name
     */
    public static KilnSchema build(ServiceNames names, ModuleRegistry modules, TaskRegistry tasks) {
        KilnSchema schema = new KilnSchema(names);
        schema.assemble(modules, tasks);
        return schema;
    }

    /** The schema for these modules and the tasks they perform. */
    public static KilnSchema build(ServiceNames names, ModuleRegistry modules) {
        return build(names, modules, TaskRegistry.of(modules));
    }

    private void assemble(ModuleRegistry modules, TaskRegistry tasks) {
        add(CaikitMessages.commonFile(), List.of());
        add(CaikitMessages.runtimeFile(), List.of(files.get(CaikitMessages.COMMON_FILE), timestamp(), struct()));
        FileDescriptor runtime = files.get(CaikitMessages.RUNTIME_FILE);
        String status = runtime("TrainingStatusResponse");
        String infoRequest = runtime("TrainingInfoRequest");
        add(
                CaikitMessages.serviceFile(
                        ServiceNames.TRAINING_MANAGEMENT_PACKAGE,
                        "TrainingManagement",
                        List.of(CaikitMessages.RUNTIME_FILE),
                        List.of(
                                new String[] {"GetTrainingStatus", infoRequest, status},
                                new String[] {"CancelTraining", infoRequest, status})),
                List.of(runtime));
        add(
                CaikitMessages.serviceFile(
                        ServiceNames.INFO_PACKAGE,
                        "InfoService",
                        List.of(CaikitMessages.RUNTIME_FILE),
                        List.of(
                                new String[] {
                                    "GetRuntimeInfo", runtime("RuntimeInfoRequest"), runtime("RuntimeInfoResponse")
                                },
                                new String[] {"GetModelsInfo", runtime("ModelInfoRequest"), runtime("ModelInfoResponse")
                                })),
                List.of(runtime));
        add(
                CaikitMessages.serviceFile(
                        ServiceNames.MODEL_MANAGEMENT_PACKAGE,
                        "ModelManagement",
                        List.of(CaikitMessages.RUNTIME_FILE),
                        List.of(
                                new String[] {"DeployModel", runtime("DeployModelRequest"), runtime("ModelInfo")},
                                new String[] {
                                    "UndeployModel", runtime("UndeployModelRequest"), runtime("UndeployModelRequest")
                                })),
                List.of(runtime));
        add(PredictMessages.nlpFile(), List.of());
        addWatch(runtime);
        for (ModuleType<?, ?> m : modules.all()) {
            TaskSpec task = tasks.forModule(m.descriptor());
            predictRpcs.put(PredictMessages.rpc(task), task);
        }
        addTraining(modules, runtime);
    }

    private void addTraining(ModuleRegistry modules, FileDescriptor runtime) {
        TrainMessages messages = new TrainMessages(names);
        ServiceDescriptorProto.Builder service =
                ServiceDescriptorProto.newBuilder().setName(names.trainingService());
        for (ModuleType<?, ?> m : modules.all()) {
            String rpc = ServiceNames.trainRpc(m.descriptor());
            ModuleType<?, ?> clash = trainRpcs.putIfAbsent(rpc, m);
            if (clash != null) {
                throw KilnException.invalidArgument(
                        "Modules " + clash.descriptor().name() + " and "
                                + m.descriptor().name() + " would share the training RPC " + rpc);
            }
        }
        for (Map.Entry<String, ModuleType<?, ?>> e : trainRpcs.entrySet()) {
            String request = messages.add(e.getValue());
            service.addMethod(MethodDescriptorProto.newBuilder()
                    .setName(e.getKey())
                    .setInputType("." + names.qualified(request))
                    .setOutputType(runtime("TrainingJob")));
        }
        ServiceDescriptorProto.Builder predict =
                ServiceDescriptorProto.newBuilder().setName(names.predictService());
        ServiceDescriptorProto.Builder jobs =
                ServiceDescriptorProto.newBuilder().setName(names.jobService());
        FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
                .setName(names.packageName() + ".proto")
                .setPackage(names.packageName())
                .setSyntax("proto3")
                .addDependency(CaikitMessages.COMMON_FILE)
                .addDependency(CaikitMessages.RUNTIME_FILE)
                .addDependency(CaikitMessages.STRUCT_FILE)
                .addDependency(PredictMessages.NLP_FILE)
                .addDependency(ServiceNames.KILN_PACKAGE + ".proto")
                .addAllMessageType(messages.messages());
        for (Map.Entry<String, TaskSpec> e : predictRpcs.entrySet()) {
            file.addMessageType(PredictMessages.request(e.getValue()));
            String request = "." + names.qualified(PredictMessages.requestName(e.getValue()));
            String answer = PredictMessages.response(e.getValue());
            predict.addMethod(unary(e.getKey(), request, answer));
            String task = e.getValue().name();
            String info = runtime("PredictionJobInfoRequest");
            String status = runtime("PredictionJobStatusResponse");
            jobs.addMethod(unary(task + "StartPredictionJob", request, runtime("PredictionJob")));
            jobs.addMethod(unary(task + "GetPredictionJobStatus", info, status));
            jobs.addMethod(unary(task + "CancelPredictionJob", info, status));
            jobs.addMethod(unary(task + "GetPredictionJobResult", info, answer));
        }
        if (!predictRpcs.isEmpty()) {
            file.addService(predict);
            file.addService(jobs);
        }
        if (!trainRpcs.isEmpty()) {
            file.addService(service);
        }
        add(
                file.build(),
                List.of(
                        files.get(CaikitMessages.COMMON_FILE),
                        runtime,
                        struct(),
                        files.get(PredictMessages.NLP_FILE),
                        files.get(ServiceNames.KILN_PACKAGE + ".proto")));
    }

    private static MethodDescriptorProto unary(String name, String input, String output) {
        return MethodDescriptorProto.newBuilder()
                .setName(name)
                .setInputType(input)
                .setOutputType(output)
                .build();
    }

    private void addWatch(FileDescriptor runtime) {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName(ServiceNames.KILN_PACKAGE + ".proto")
                .setPackage(ServiceNames.KILN_PACKAGE)
                .setSyntax("proto3")
                .addDependency(CaikitMessages.RUNTIME_FILE)
                .addDependency(timestamp().getName())
                .addMessageType(MessageBuilder.message("RegressionResult")
                        .field("value", 1, TYPE_DOUBLE)
                        .build())
                .addMessageType(MessageBuilder.message("TrainingProgress")
                        .field("step", 1, TYPE_INT64)
                        .field("total", 2, TYPE_INT64)
                        .map("metrics", 3, FieldType.scalar(TYPE_DOUBLE))
                        .build())
                .addMessageType(MessageBuilder.message("TrainingAttempt")
                        .field("number", 1, TYPE_INT32)
                        .field("started", 2, TYPE_MESSAGE, CaikitMessages.TIMESTAMP)
                        .field("ended", 3, TYPE_MESSAGE, CaikitMessages.TIMESTAMP)
                        .field("outcome", 4, TYPE_STRING)
                        .field("error", 5, TYPE_STRING)
                        .build())
                .addMessageType(MessageBuilder.message("TrainingEvent")
                        .field("type", 1, TYPE_STRING)
                        .field("status", 2, TYPE_MESSAGE, runtime("TrainingStatusResponse"))
                        .field("progress", 3, TYPE_MESSAGE, "." + ServiceNames.KILN_PACKAGE + ".TrainingProgress")
                        .field("priority", 4, TYPE_INT32)
                        .field("attempt", 5, TYPE_INT32)
                        .repeated("attempts", 6, TYPE_MESSAGE, "." + ServiceNames.KILN_PACKAGE + ".TrainingAttempt")
                        .build())
                .addService(ServiceDescriptorProto.newBuilder()
                        .setName("TrainingWatch")
                        .addMethod(MethodDescriptorProto.newBuilder()
                                .setName("WatchTraining")
                                .setInputType(runtime("TrainingInfoRequest"))
                                .setOutputType("." + ServiceNames.KILN_PACKAGE + ".TrainingEvent")
                                .setServerStreaming(true)))
                .build();
        add(file, List.of(runtime, timestamp()));
    }

    private void add(FileDescriptorProto proto, List<FileDescriptor> deps) {
        try {
            files.put(proto.getName(), FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new)));
        } catch (DescriptorValidationException e) {
            throw new KilnException(
                    ErrorCode.INVALID_ARGUMENT,
                    "The generated gRPC schema " + proto.getName() + " is invalid: " + e.getMessage(),
                    e);
        }
    }

    private static FileDescriptor timestamp() {
        return TimestampProto.getDescriptor();
    }

    private static FileDescriptor struct() {
        return StructProto.getDescriptor();
    }

    /** The names the services are generated under. */
    public ServiceNames names() {
        return names;
    }

    /** Kiln's generated files, dependencies first (Google's well-known types are not among them). */
    public List<FileDescriptor> files() {
        return new ArrayList<>(files.values());
    }

    /** The modules with a training RPC, by RPC name. */
    public Map<String, ModuleType<?, ?>> trainRpcs() {
        return Map.copyOf(trainRpcs);
    }

    /** The tasks with a predict RPC, by RPC name. */
    public Map<String, TaskSpec> predictRpcs() {
        return Map.copyOf(predictRpcs);
    }

    /** The inference service of the domain, or null when no module is installed. */
    public ServiceDescriptor predictService() {
        return predictRpcs.isEmpty() ? null : service(names.qualified(names.predictService()));
    }

    /** The background prediction service of the domain, or null when no module is installed. */
    public ServiceDescriptor jobService() {
        return predictRpcs.isEmpty() ? null : service(names.qualified(names.jobService()));
    }

    /** The training service of the domain, or null when no module is installed. */
    public ServiceDescriptor trainingService() {
        return trainRpcs.isEmpty() ? null : service(names.qualified(names.trainingService()));
    }

    /**
     * A service by full name.
     *
     * @throws IllegalArgumentException if there is none
     */
    public ServiceDescriptor service(String fullName) {
        for (FileDescriptor f : files.values()) {
            for (ServiceDescriptor s : f.getServices()) {
                if (s.getFullName().equals(fullName)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("No service " + fullName);
    }

    /** A message by full name, Google's well-known types (such as {@code google.protobuf.Value}) included. */
    Descriptor messageOrWellKnown(String fullName) {
        if (fullName.startsWith("google.protobuf.")) {
            return struct().findMessageTypeByName(fullName.substring("google.protobuf.".length()));
        }
        return message(fullName);
    }

    /**
     * A message by full name.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Descriptor message(String fullName) {
        for (FileDescriptor f : files.values()) {
            Descriptor d = f.findMessageTypeByName(
                    fullName.startsWith(f.getPackage() + ".")
                            ? fullName.substring(f.getPackage().length() + 1)
                            : "");
            if (d != null) {
                return d;
            }
        }
        throw new IllegalArgumentException("No message " + fullName);
    }
}
