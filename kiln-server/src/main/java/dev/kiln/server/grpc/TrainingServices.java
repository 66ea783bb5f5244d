package dev.kiln.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleType;
import dev.kiln.server.api.ProgressReport;
import dev.kiln.server.api.TrainResponse;
import dev.kiln.server.api.TrainingEvent;
import dev.kiln.server.api.TrainingStatus;
import dev.kiln.server.api.TrainingSummary;
import dev.kiln.server.jobs.TrainRequest;
import dev.kiln.server.jobs.TrainingEvents;
import dev.kiln.server.jobs.Trainings;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training RPCs: the domain's training service (one {@code <Task><Module>Train} per module), caikit's training
 * management ({@code GetTrainingStatus}, {@code CancelTraining}) and Kiln's {@code WatchTraining} stream, all over the
 * server's trainings (the same journal, trainers and rules as the HTTP routes).
 */
final class TrainingServices {
    /** How often a watch stream with no events checks whether its client went away. */
    private static final Duration WATCH_POLL = Duration.ofSeconds(1);

    private final KilnSchema schema;
    private final Trainings trainings;
    private final Descriptor trainingJob;
    private final StatusMessages statuses;
    private final Descriptor event;
    private final Descriptor progress;

    TrainingServices(KilnSchema schema, Trainings trainings) {
        this.schema = schema;
        this.trainings = trainings;
        this.trainingJob = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".TrainingJob");
        this.statuses = new StatusMessages(schema);
        this.event = schema.message(ServiceNames.KILN_PACKAGE + ".TrainingEvent");
        this.progress = schema.message(ServiceNames.KILN_PACKAGE + ".TrainingProgress");
    }

    /** The services: training (when any module is installed), training management and the watch. */
    List<ServerServiceDefinition> definitions() {
        List<ServerServiceDefinition> out = new ArrayList<>();
        if (schema.trainingService() != null) {
            DynamicService training = DynamicService.of(schema.trainingService());
            for (Map.Entry<String, ModuleType<?, ?>> e : schema.trainRpcs().entrySet()) {
                training.unary(e.getKey(), req -> train(e.getValue(), req));
            }
            out.add(training.build());
        }
        out.add(DynamicService.of(schema.service(KilnSchema.TRAINING_MANAGEMENT))
                .unary(
                        "GetTrainingStatus",
                        req -> status(trainings.get(statuses.trainingId(req)).toStatus()))
                .unary(
                        "CancelTraining",
                        req -> status(trainings.cancel(statuses.trainingId(req)).toStatus()))
                .build());
        out.add(DynamicService.of(schema.service(KilnSchema.TRAINING_WATCH))
                .streaming("WatchTraining", this::watch)
                .build());
        return out;
    }

    private DynamicMessage train(ModuleType<?, ?> module, DynamicMessage req) {
        Descriptor d = req.getDescriptorForType();
        String modelName = (String) req.getField(d.findFieldByName("model_name"));
        if (modelName.isBlank()) {
            throw KilnException.invalidArgument("model_name is required: a non-empty string naming the model");
        }
        FieldDescriptor params = d.findFieldByName("parameters");
        TrainRequest request = new TrainRequest(
                modelName,
                outputPath(req, d.findFieldByName("output_path")),
                MessageJson.object((Message) req.getField(params), ""),
                null,
                null);
        TrainResponse answer = trainings.submit(module, request);
        return DynamicMessage.newBuilder(trainingJob)
                .setField(trainingJob.findFieldByName("training_id"), answer.trainingId())
                .setField(trainingJob.findFieldByName("model_name"), answer.modelName())
                .build();
    }

    /**
     * caikit's {@code output_path} is an S3Path: one naming S3 storage is refused as over HTTP; one with only a
     * {@code path} names a directory under the server's output directory.
     */
    private static String outputPath(DynamicMessage req, FieldDescriptor field) {
        if (!req.hasField(field)) {
            return null;
        }
        Message s3 = (Message) req.getField(field);
        String path = "";
        for (Map.Entry<FieldDescriptor, Object> e : s3.getAllFields().entrySet()) {
            if (e.getKey().getName().equals("path")) {
                path = (String) e.getValue();
            } else {
                throw KilnException.invalidArgument(
                        "output_path names S3 storage (" + e.getKey().getName()
                                + "), which this server does not support (S3 output path not supported by this runtime);"
                                + " give only output_path.path, a directory relative to runtime.training.output_dir");
            }
        }
        return path.isBlank() ? null : path;
    }

    private DynamicMessage status(TrainingStatus s) {
        return statuses.status(
                s.trainingId(), s.state(), s.submissionTimestamp(), s.completionTimestamp(), s.reasons());
    }

    /** Kiln's stream: the training's state first, then every state change and progress report, to its end. */
    private void watch(DynamicMessage req, StreamObserver<DynamicMessage> out) {
        String id = statuses.trainingId(req);
        ServerCallStreamObserver<DynamicMessage> call = (ServerCallStreamObserver<DynamicMessage>) out;
        try (TrainingEvents.Subscription events = trainings.subscribe(id)) {
            TrainingEvent first =
                    new TrainingEvent(TrainingEvent.STATE, trainings.get(id).toSummary());
            out.onNext(event(first));
            boolean ended = first.isTerminal();
            while (!ended && !call.isCancelled()) {
                TrainingEvent e = events.next(WATCH_POLL);
                if (e != null) {
                    out.onNext(event(e));
                    ended = e.isTerminal();
                }
            }
            if (!call.isCancelled()) {
                out.onCompleted();
            }
        } catch (TrainingEvents.Ended e) {
            out.onError(io.grpc.Status.UNAVAILABLE
                    .withDescription("The server is shutting down; watch the training again once it is back")
                    .asRuntimeException());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(io.grpc.Status.CANCELLED
                    .withDescription("The server stopped following the training")
                    .asRuntimeException());
        }
    }

    private DynamicMessage event(TrainingEvent e) {
        TrainingSummary t = e.training();
        DynamicMessage.Builder b = DynamicMessage.newBuilder(event)
                .setField(event.findFieldByName("type"), e.type())
                .setField(
                        event.findFieldByName("status"),
                        statuses.status(
                                t.trainingId(),
                                t.state(),
                                t.submissionTimestamp(),
                                t.completionTimestamp(),
                                t.reasons()));
        ProgressReport p = t.progress();
        if (p != null) {
            DynamicMessage.Builder pb = DynamicMessage.newBuilder(progress)
                    .setField(progress.findFieldByName("step"), p.step())
                    .setField(progress.findFieldByName("total"), p.total());
            FieldDescriptor metrics = progress.findFieldByName("metrics");
            Descriptor entry = metrics.getMessageType();
            p.metrics()
                    .forEach((k, v) -> pb.addRepeatedField(
                            metrics,
                            DynamicMessage.newBuilder(entry)
                                    .setField(entry.findFieldByName("key"), k)
                                    .setField(entry.findFieldByName("value"), v)
                                    .build()));
            b.setField(event.findFieldByName("progress"), pb.build());
        }
        return b.build();
    }
}
