package dev.kiln.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.serving.ModelServing;
import dev.kiln.serving.ModelStatus;
import dev.kiln.serving.task.TaskSpec;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model RPCs over the server's model serving: the domain's inference service ({@code <Task>Predict}, the model
 * named by {@code mm-model-id}) and its background prediction jobs, caikit's {@code GetModelsInfo}, and its model management ({@code DeployModel},
 * {@code UndeployModel}).
 */
final class ModelServices {
    private final KilnSchema schema;
    private final ModelServing serving;
    private final Descriptor modelInfo;
    private final Descriptor modelInfoResponse;
    private final Descriptor undeploy;
    private final Descriptor predictionJob;
    private final Descriptor jobStatus;
    private final PredictionJobs jobs;

    ModelServices(KilnSchema schema, ModelServing serving, PredictionJobs jobs) {
        this.schema = schema;
        this.serving = serving;
        this.jobs = jobs;
        this.predictionJob = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".PredictionJob");
        this.jobStatus = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".PredictionJobStatusResponse");
        this.modelInfo = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".ModelInfo");
        this.modelInfoResponse = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".ModelInfoResponse");
        this.undeploy = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".UndeployModelRequest");
    }

    /** The inference service (when any module is installed) and model management. */
    List<ServerServiceDefinition> definitions() {
        List<ServerServiceDefinition> out = new ArrayList<>();
        if (schema.predictService() != null) {
            DynamicService predict = DynamicService.of(schema.predictService());
            for (Map.Entry<String, TaskSpec> e : schema.predictRpcs().entrySet()) {
                PredictRpc rpc = predictRpc(e.getKey(), e.getValue());
                predict.unary(e.getKey(), req -> predict(rpc, req, modelId()));
            }
            out.add(ServerInterceptors.intercept(predict.build(), new ModelIdInterceptor()));
            DynamicService background = DynamicService.of(schema.jobService());
            for (Map.Entry<String, TaskSpec> e : schema.predictRpcs().entrySet()) {
                PredictRpc rpc = predictRpc(e.getKey(), e.getValue());
                String name = rpc.task().name();
                background
                        .unary(name + "StartPredictionJob", req -> startJob(rpc, req))
                        .unary(name + "GetPredictionJobStatus", req -> jobStatus(jobs.get(predictionId(req), name)))
                        .unary(name + "CancelPredictionJob", req -> jobStatus(jobs.cancel(predictionId(req), name)))
                        .unary(name + "GetPredictionJobResult", req -> jobs.result(predictionId(req), name));
            }
            out.add(ServerInterceptors.intercept(background.build(), new ModelIdInterceptor()));
        }
        out.add(DynamicService.of(schema.service(KilnSchema.MODEL_MANAGEMENT))
                .unary("DeployModel", this::deploy)
                .unary("UndeployModel", this::undeploy)
                .build());
        return out;
    }

    /** caikit's {@code GetModelsInfo}: every served model, or those named in {@code model_ids}. */
    DynamicMessage modelsInfo(DynamicMessage req) {
        List<String> ids = new ArrayList<>();
        for (Object id : (List<?>) req.getField(req.getDescriptorForType().findFieldByName("model_ids"))) {
            ids.add((String) id);
        }
        DynamicMessage.Builder b = DynamicMessage.newBuilder(modelInfoResponse);
        FieldDescriptor models = modelInfoResponse.findFieldByName("models");
        serving.status(ids).forEach(s -> b.addRepeatedField(models, info(s)));
        return b.build();
    }

    private static String modelId() {
        String modelId = ModelIdInterceptor.MODEL_ID.get();
        if (modelId == null || modelId.isBlank()) {
            throw KilnException.invalidArgument(
                    "Name the model to predict with in the 'mm-model-id' metadata of the call");
        }
        return modelId;
    }

    private DynamicMessage startJob(PredictRpc rpc, DynamicMessage req) {
        String modelId = modelId();
        serving.resolve(modelId);
        PredictionJobs.Job job = jobs.start(rpc.task().name(), () -> predict(rpc, req, modelId));
        return DynamicMessage.newBuilder(predictionJob)
                .setField(predictionJob.findFieldByName("prediction_id"), job.id)
                .build();
    }

    private static String predictionId(DynamicMessage req) {
        String id = (String) req.getField(req.getDescriptorForType().findFieldByName("prediction_id"));
        if (id.isBlank()) {
            throw KilnException.invalidArgument("prediction_id is required: the id StartPredictionJob answered");
        }
        return id;
    }

    private DynamicMessage jobStatus(PredictionJobs.Job job) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(jobStatus)
                .setField(jobStatus.findFieldByName("prediction_id"), job.id)
                .setField(
                        jobStatus.findFieldByName("state"),
                        jobStatus.findFieldByName("state").getEnumType().findValueByName(job.state.name()))
                .setField(jobStatus.findFieldByName("submission_timestamp"), Timestamps.of(job.submitted));
        if (job.completed != null) {
            b.setField(jobStatus.findFieldByName("completion_timestamp"), Timestamps.of(job.completed));
        }
        FieldDescriptor reasons = jobStatus.findFieldByName("reasons");
        job.reasons.forEach(r -> b.addRepeatedField(reasons, r));
        return b.build();
    }

    /**
     * What a task's predictions need, looked up once: the request's input field and the answer's type.
     *
     * @param input the request's field that holds the input: {@code text} for text tasks, else the inputs
     * @param answer the message the RPC answers with
     */
    private record PredictRpc(TaskSpec task, FieldDescriptor input, Descriptor answer) {}

    private PredictRpc predictRpc(String rpcName, TaskSpec task) {
        Descriptor request = schema.predictService().findMethodByName(rpcName).getInputType();
        return new PredictRpc(
                task,
                request.findFieldByName(PredictMessages.isText(task) ? "text" : "inputs"),
                schema.messageOrWellKnown(PredictMessages.response(task).substring(1)));
    }

    private DynamicMessage predict(PredictRpc rpc, DynamicMessage req, String modelId) {
        JsonNode inputs = PredictMessages.isText(rpc.task())
                ? JsonNodeFactory.instance.textNode((String) req.getField(rpc.input()))
                : MessageJson.structOrValue((Message) req.getField(rpc.input()));
        JsonNode answer = serving.predict(rpc.task(), modelId, inputs);
        try {
            return AnswerMessages.of(answer, rpc.answer());
        } catch (IllegalArgumentException e) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "Model '" + modelId + "' answered in a shape "
                            + rpc.answer().getFullName() + " cannot hold: " + e.getMessage(),
                    e);
        }
    }

    private DynamicMessage deploy(DynamicMessage req) {
        Descriptor d = req.getDescriptorForType();
        String id = (String) req.getField(d.findFieldByName("model_id"));
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Object f : (List<?>) req.getField(d.findFieldByName("model_files"))) {
            Message file = (Message) f;
            Descriptor fd = file.getDescriptorForType();
            String name = (String) file.getField(fd.findFieldByName("filename"));
            if (files.put(name, ((ByteString) file.getField(fd.findFieldByName("data"))).toByteArray()) != null) {
                throw KilnException.invalidArgument("model_files names '" + name + "' twice");
            }
        }
        return info(serving.deploy(id, files));
    }

    private DynamicMessage undeploy(DynamicMessage req) {
        String id = (String) req.getField(req.getDescriptorForType().findFieldByName("model_id"));
        serving.undeploy(id);
        return DynamicMessage.newBuilder(undeploy)
                .setField(undeploy.findFieldByName("model_id"), id)
                .build();
    }

    private DynamicMessage info(ModelStatus s) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(modelInfo)
                .setField(modelInfo.findFieldByName("model_path"), s.path().toString())
                .setField(modelInfo.findFieldByName("name"), s.id())
                .setField(modelInfo.findFieldByName("size"), s.sizeBytes())
                .setField(modelInfo.findFieldByName("loaded"), s.inMemory());
        if (s.moduleId() != null) {
            b.setField(modelInfo.findFieldByName("module_id"), s.moduleId());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        put(metadata, "module_name", s.moduleName());
        put(metadata, "module_version", s.moduleVersion());
        put(metadata, "origin", s.origin() == null ? null : s.origin().name());
        put(metadata, "training_id", s.trainingId());
        FieldDescriptor field = modelInfo.findFieldByName("module_metadata");
        Descriptor entry = field.getMessageType();
        metadata.forEach((k, v) -> b.addRepeatedField(
                field,
                DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), k)
                        .setField(entry.findFieldByName("value"), v)
                        .build()));
        return b.build();
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
