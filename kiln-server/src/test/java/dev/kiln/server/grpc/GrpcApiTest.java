package dev.kiln.server.grpc;

import static dev.kiln.server.grpc.GrpcClient.failure;
import static dev.kiln.server.grpc.GrpcClient.get;
import static dev.kiln.server.grpc.GrpcClient.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.kiln.KilnVersion;
import dev.kiln.config.KilnConfig;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** caikit's gRPC API on a real server on port 0, called by grpc-java clients. */
class GrpcApiTest {
    static final String PKG = "caikit.runtime.Kiln";
    static final String TRAINING = PKG + ".KilnTrainingService";
    static final String RPC = "SampleTaskSampleModuleTrain";
    static final String MANAGEMENT = KilnSchema.TRAINING_MANAGEMENT;

    @TempDir
    Path tmp;

    private TestServer start(String yaml, Map<String, String> env) {
        return TestServer.start(tmp, yaml, env);
    }

    private static GrpcClient client(TestServer server, String yaml, String token) {
        return new GrpcClient(
                TestServer.config(server.dir(), yaml), server.server().grpcPort(), token);
    }

    /** A SampleModule training request with inline records and the parameters {@code params} sets. */
    static DynamicMessage request(
            GrpcClient c, String modelName, int records, Consumer<DynamicMessage.Builder> params) {
        DynamicMessage.Builder data = c.message(PKG + ".DataStreamSourceSampleRecordJsonData");
        for (int i = 0; i < records; i++) {
            data.addRepeatedField(
                    data.getDescriptorForType().findFieldByName("data"),
                    set(set(c.message(PKG + ".SampleRecord"), "number", (long) i), "label", "l" + i % 2)
                            .build());
        }
        DynamicMessage.Builder p = c.message(PKG + ".SampleTaskSampleModuleTrainParameters");
        set(
                p,
                "training_data",
                set(c.message(PKG + ".DataStreamSourceSampleRecord"), "jsondata", data.build())
                        .build());
        params.accept(p);
        return set(
                        set(c.message(PKG + ".SampleTaskSampleModuleTrainRequest"), "model_name", modelName),
                        "parameters",
                        p.build())
                .build();
    }

    static DynamicMessage id(GrpcClient c, String trainingId) {
        return set(c.message(ServiceNames.RUNTIME_DATA_MODEL + ".TrainingInfoRequest"), "training_id", trainingId)
                .build();
    }

    static String state(Message status) {
        return ((com.google.protobuf.Descriptors.EnumValueDescriptor) get(status, "state")).getName();
    }

    static DynamicMessage awaitState(GrpcClient c, String trainingId, String state) {
        await().atMost(TestServer.WAIT)
                .until(() -> state(c.call(MANAGEMENT, "GetTrainingStatus", id(c, trainingId)))
                        .equals(state));
        return c.call(MANAGEMENT, "GetTrainingStatus", id(c, trainingId));
    }

    @Test
    void trainsOverGrpcAndReportsWhatHttpReports() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            DynamicMessage job = c.call(TRAINING, RPC, request(c, "over-grpc", 5, p -> {}), "ignored-on-train");
            String trainingId = (String) get(job, "training_id");
            assertThat(trainingId).isNotBlank();
            assertThat(get(job, "model_name")).isEqualTo("over-grpc");

            DynamicMessage status = awaitState(c, trainingId, "COMPLETED");
            JsonNode http = server.status(trainingId);
            assertThat(get(status, "training_id")).isEqualTo(trainingId);
            assertThat(http.get("state").asText()).isEqualTo("COMPLETED");
            Timestamp submitted = Timestamp.parseFrom(((Message) get(status, "submission_timestamp")).toByteString());
            Instant httpSubmitted =
                    Instant.parse(http.get("submission_timestamp").asText());
            assertThat(submitted.getSeconds()).isEqualTo(httpSubmitted.getEpochSecond());
            assertThat(submitted.getNanos()).isEqualTo(httpSubmitted.getNano());
            assertThat(status.hasField(status.getDescriptorForType().findFieldByName("completion_timestamp")))
                    .isTrue();
            assertThat((List<?>) get(status, "reasons")).isEmpty();

            JsonNode detail =
                    server.http().get("/management/trainings/" + trainingId).json();
            assertThat(detail.get("parameters").get("training_data").get("data"))
                    .hasSize(5);
            assertThat(Files.isDirectory(Path.of(detail.get("save_path").asText())))
                    .isTrue();
        }
    }

    @Test
    void readsDataFilesInsideTheDataDirectoryOnly() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            String file = server.dataFile("records.jsonl", 7);
            DynamicMessage fromFile = withSource(
                    c,
                    "file",
                    set(c.message("caikit_data_model.common.FileReference"), "filename", file)
                            .build());
            String id = (String) get(c.call(TRAINING, RPC, fromFile), "training_id");
            awaitState(c, id, "COMPLETED");
            assertThat(server.http()
                            .get("/management/trainings/" + id + "/logs")
                            .body())
                    .contains("trained on 7 records");

            DynamicMessage outside = withSource(
                    c,
                    "file",
                    set(c.message("caikit_data_model.common.FileReference"), "filename", "../outside.jsonl")
                            .build());
            StatusRuntimeException e = failure(() -> c.call(TRAINING, RPC, outside));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("../outside.jsonl");
        }
    }

    private static DynamicMessage withSource(GrpcClient c, String kind, Message source) {
        DynamicMessage.Builder p = c.message(PKG + ".SampleTaskSampleModuleTrainParameters");
        set(
                p,
                "training_data",
                set(c.message(PKG + ".DataStreamSourceSampleRecord"), kind, source)
                        .build());
        return set(
                        set(c.message(PKG + ".SampleTaskSampleModuleTrainRequest"), "model_name", "m"),
                        "parameters",
                        p.build())
                .build();
    }

    @Test
    void badRequestsGetCaikitsStatusCodesNamingTheFault() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            StatusRuntimeException noName = failure(() -> c.call(TRAINING, RPC, request(c, "", 1, p -> {})));
            assertThat(noName.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(noName.getStatus().getDescription()).contains("model_name");

            DynamicMessage noSource = set(
                            set(c.message(PKG + ".SampleTaskSampleModuleTrainRequest"), "model_name", "m"),
                            "parameters",
                            set(
                                            c.message(PKG + ".SampleTaskSampleModuleTrainParameters"),
                                            "training_data",
                                            c.message(PKG + ".DataStreamSourceSampleRecord")
                                                    .build())
                                    .build())
                    .build();
            StatusRuntimeException empty = failure(() -> c.call(TRAINING, RPC, noSource));
            assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(empty.getStatus().getDescription()).contains("training_data");

            StatusRuntimeException s3 = failure(() -> c.call(
                    TRAINING,
                    RPC,
                    withSource(
                            c,
                            "s3files",
                            set(c.message("caikit_data_model.common.S3Files"), "bucket", "b")
                                    .build())));
            assertThat(s3.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s3.getStatus().getDescription()).contains("S3Files");

            DynamicMessage s3Output = request(c, "m", 1, p -> {}).toBuilder()
                    .setField(
                            c.schema
                                    .message(PKG + ".SampleTaskSampleModuleTrainRequest")
                                    .findFieldByName("output_path"),
                            set(c.message("caikit_data_model.common.S3Path"), "bucket", "models")
                                    .build())
                    .build();
            StatusRuntimeException output = failure(() -> c.call(TRAINING, RPC, s3Output));
            assertThat(output.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(output.getStatus().getDescription()).contains("output_path", "bucket");

            StatusRuntimeException unknown = failure(() -> c.call(MANAGEMENT, "GetTrainingStatus", id(c, "nope-42")));
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(unknown.getStatus().getDescription()).contains("nope-42");
            assertThat(failure(() -> c.call(MANAGEMENT, "CancelTraining", id(c, "nope-43")))
                            .getStatus()
                            .getCode())
                    .isEqualTo(Status.Code.NOT_FOUND);
            StatusRuntimeException noId = failure(() -> c.call(MANAGEMENT, "GetTrainingStatus", id(c, "")));
            assertThat(noId.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(noId.getStatus().getDescription()).contains("training_id");

            DynamicMessage poisoned = request(c, "poisoned", 1, p -> set(p, "batch_size", 999L));
            String id = (String) get(c.call(TRAINING, RPC, poisoned), "training_id");
            DynamicMessage errored = awaitState(c, id, "ERRORED");
            assertThat((List<?>) get(errored, "reasons"))
                    .anySatisfy(r -> assertThat((String) r).contains("999"));
        }
    }

    @Test
    void defaultsApplyToParametersLeftUnsetAndSetOnesArriveTyped() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            String unset = (String) get(c.call(TRAINING, RPC, request(c, "unset", 2, p -> {})), "training_id");
            String typed = (String) get(
                    c.call(TRAINING, RPC, request(c, "typed", 2, p -> set(p, "batch_size", 7L))), "training_id");
            awaitState(c, unset, "COMPLETED");
            awaitState(c, typed, "COMPLETED");
            assertThat(server.http()
                            .get("/management/trainings/" + unset + "/logs")
                            .body())
                    .as("batch_size left unset takes its default, 64, not protobuf's 0")
                    .contains("batch size 64");
            assertThat(server.http()
                            .get("/management/trainings/" + typed + "/logs")
                            .body())
                    .contains("batch size 7");
        }
    }

    @Test
    void cancelTrainingEndsARunningTraining() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            Path started = tmp.resolve("started");
            DynamicMessage r = request(
                    c,
                    "long",
                    1,
                    p -> set(set(p, "gate_file", server.gate("never").toString()), "started_file", started.toString()));
            String id = (String) get(c.call(TRAINING, RPC, r), "training_id");
            await().atMost(TestServer.WAIT).until(() -> Files.exists(started));
            DynamicMessage cancelled = c.call(MANAGEMENT, "CancelTraining", id(c, id));
            assertThat(state(cancelled)).isEqualTo("CANCELED");
            assertThat(server.status(id).get("state").asText()).isEqualTo("CANCELED");
        }
    }

    @Test
    void watchTrainingFollowsStateAndProgressToTheEnd() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            Path started = tmp.resolve("started");
            Path gate = server.gate("watch");
            DynamicMessage r = request(
                    c,
                    "watched",
                    1,
                    p -> set(
                            set(set(p, "gate_file", gate.toString()), "started_file", started.toString()),
                            "steps",
                            3L));
            String id = (String) get(c.call(TRAINING, RPC, r), "training_id");
            await().atMost(TestServer.WAIT).until(() -> Files.exists(started));
            await().atMost(TestServer.WAIT)
                    .until(() -> server.status(id).get("state").asText().equals("RUNNING"));

            Iterator<DynamicMessage> events = c.stream(KilnSchema.TRAINING_WATCH, "WatchTraining", id(c, id));
            DynamicMessage first = events.next();
            assertThat(get(first, "type")).isEqualTo("state");
            assertThat(state((Message) get(first, "status"))).isEqualTo("RUNNING");
            Message progress = (Message) get(first, "progress");
            assertThat(get(progress, "step")).isEqualTo(3L);
            assertThat(get(progress, "total")).isEqualTo(3L);
            assertThat((List<?>) get(progress, "metrics")).hasSize(1);

            TestServer.open(gate);
            List<DynamicMessage> rest = new ArrayList<>();
            events.forEachRemaining(rest::add);
            assertThat(rest).isNotEmpty();
            DynamicMessage last = rest.get(rest.size() - 1);
            assertThat(get(last, "type")).isEqualTo("state");
            assertThat(state((Message) get(last, "status"))).isEqualTo("COMPLETED");

            StatusRuntimeException unknown =
                    failure(() -> c.stream(KilnSchema.TRAINING_WATCH, "WatchTraining", id(c, "nope"))
                            .hasNext());
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
    }

    @Test
    void aRequestOverTheSizeLimitIsResourceExhausted() throws Exception {
        String yaml = """
                runtime:
                  grpc:
                    options:
                      grpc.max_receive_message_length: 2048
                """;
        try (TestServer server = start(yaml, Map.of());
                GrpcClient c = client(server, yaml, null)) {
            StatusRuntimeException e = failure(() -> c.call(TRAINING, RPC, request(c, "big", 500, p -> {})));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("2048");
            String id = (String) get(c.call(TRAINING, RPC, request(c, "small", 3, p -> {})), "training_id");
            awaitState(c, id, "COMPLETED");
        }
    }

    @Test
    void theBearerTokenIsNeededEverywhereButHealth() throws Exception {
        try (TestServer server = start("", Map.of("KILN_AUTH_TOKEN", "s3cret"));
                GrpcClient none = client(server, "", null);
                GrpcClient wrong = client(server, "", "guess");
                GrpcClient right = client(server, "", "s3cret")) {
            DynamicMessage info = right.message(ServiceNames.RUNTIME_DATA_MODEL + ".RuntimeInfoRequest")
                    .build();
            StatusRuntimeException missing = failure(() -> none.call(KilnSchema.INFO, "GetRuntimeInfo", info));
            assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(missing.getStatus().getDescription()).contains("authorization");
            StatusRuntimeException bad = failure(() -> wrong.call(TRAINING, RPC, request(wrong, "m", 1, p -> {})));
            assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(server.http()
                            .withToken("s3cret")
                            .get("/management/trainings")
                            .body())
                    .as("a refused call trains nothing")
                    .contains("\"total\":0");
            assertThat(get(right.call(KilnSchema.INFO, "GetRuntimeInfo", info), "runtime_version"))
                    .isEqualTo(KilnVersion.get());
            assertThat(HealthGrpc.newBlockingStub(none.channel())
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }

    @Test
    void runtimeInfoListsKilnJavaAndEveryModule() throws Exception {
        try (TestServer server = start("", Map.of());
                GrpcClient c = client(server, "", null)) {
            DynamicMessage info = c.call(
                    KilnSchema.INFO,
                    "GetRuntimeInfo",
                    c.message(ServiceNames.RUNTIME_DATA_MODEL + ".RuntimeInfoRequest")
                            .build());
            assertThat(get(info, "runtime_version")).isEqualTo(KilnVersion.get());
            List<String> packages = new ArrayList<>();
            for (Object e : (List<?>) get(info, "python_packages")) {
                packages.add(get((Message) e, "key") + "=" + get((Message) e, "value"));
            }
            assertThat(packages)
                    .contains("kiln=" + KilnVersion.get(), "java=" + System.getProperty("java.version"))
                    .anySatisfy(p -> assertThat(p).startsWith("SampleModule="));
        }
    }

    @Test
    void stoppingTheServerEndsWatchStreamsAndStopsServingGrpc() throws Exception {
        TestServer server = start("", Map.of());
        try (GrpcClient c = client(server, "", null)) {
            Path started = tmp.resolve("started");
            DynamicMessage r = request(
                    c,
                    "stopped",
                    1,
                    p -> set(set(p, "gate_file", server.gate("never").toString()), "started_file", started.toString()));
            String id = (String) get(c.call(TRAINING, RPC, r), "training_id");
            await().atMost(TestServer.WAIT).until(() -> Files.exists(started));
            Iterator<DynamicMessage> events = c.stream(KilnSchema.TRAINING_WATCH, "WatchTraining", id(c, id));
            assertThat(get(events.next(), "type")).isEqualTo("state");

            server.close();

            StatusRuntimeException ended = failure(() -> events.forEachRemaining(e -> {}));
            assertThat(ended.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            StatusRuntimeException gone = failure(() -> c.call(MANAGEMENT, "GetTrainingStatus", id(c, id)));
            assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void grpcCanBeTurnedOff() {
        KilnConfig config = TestServer.config(tmp, """
                runtime:
                  grpc:
                    enabled: false
                """);
        try (TestServer server = TestServer.start(KilnServer.builder(config).port(0))) {
            assertThat(server.server().grpcPort()).isEqualTo(-1);
            assertThat(server.http().get("/health").status()).isEqualTo(200);
        }
    }
}
