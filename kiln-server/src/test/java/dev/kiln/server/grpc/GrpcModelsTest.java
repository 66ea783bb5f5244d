package dev.kiln.server.grpc;

import static dev.kiln.server.grpc.GrpcApiTest.PKG;
import static dev.kiln.server.grpc.GrpcApiTest.RPC;
import static dev.kiln.server.grpc.GrpcApiTest.TRAINING;
import static dev.kiln.server.grpc.GrpcApiTest.awaitState;
import static dev.kiln.server.grpc.GrpcApiTest.request;
import static dev.kiln.server.grpc.GrpcClient.failure;
import static dev.kiln.server.grpc.GrpcClient.get;
import static dev.kiln.server.grpc.GrpcClient.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.Value;
import dev.kiln.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions, model info and model management over gRPC on a real server on port 0. */
class GrpcModelsTest {
    static final String PREDICT = PKG + ".KilnService";
    static final String RUNTIME = ServiceNames.RUNTIME_DATA_MODEL;

    @TempDir
    Path tmp;

    private String yaml() {
        return """
                runtime:
                  local_models_dir: %s
                """.formatted(tmp.resolve("local-models"));
    }

    private static DynamicMessage predictRequest(GrpcClient c, int n) {
        return set(
                        c.message(PKG + ".SampleTaskRequest"),
                        "inputs",
                        Value.newBuilder().setNumberValue(n).build())
                .build();
    }

    private static double answer(Message m) throws Exception {
        return Value.newBuilder().mergeFrom(m.toByteString()).build().getNumberValue();
    }

    @Test
    void aModelTrainedOverGrpcPredictsWithTheModelItsMetadataNames() throws Exception {
        try (TestServer server = TestServer.start(tmp, yaml(), Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(tmp, yaml()), server.server().grpcPort(), null)) {
            String id = (String) get(
                    c.call(TRAINING, RPC, request(c, "times-three", 2, p -> set(p, "batch_size", 3L))), "training_id");
            awaitState(c, id, "COMPLETED");

            assertThat(answer(c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 5), "times-three")))
                    .isEqualTo(15.0);
            assertThat(answer(c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 2), id + "/times-three")))
                    .isEqualTo(6.0);

            StatusRuntimeException noModel = failure(() -> c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 1)));
            assertThat(noModel.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(noModel.getStatus().getDescription()).contains("mm-model-id");
            StatusRuntimeException unknown =
                    failure(() -> c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 1), "nobody"));
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(unknown.getStatus().getDescription()).contains("nobody");

            DynamicMessage all = c.call(
                    KilnSchema.INFO,
                    "GetModelsInfo",
                    c.message(RUNTIME + ".ModelInfoRequest").build());
            List<?> models = (List<?>) get(all, "models");
            assertThat(models).extracting(m -> get((Message) m, "name")).contains("times-three");
            Message info = models.stream()
                    .map(Message.class::cast)
                    .filter(m -> get(m, "name").equals("times-three"))
                    .findFirst()
                    .orElseThrow();
            assertThat(get(info, "loaded")).isEqualTo(true);
            assertThat((Long) get(info, "size")).isPositive();
            assertThat(Files.isDirectory(Path.of((String) get(info, "model_path"))))
                    .isTrue();

            StatusRuntimeException notServed = failure(() -> c.call(
                    KilnSchema.INFO,
                    "GetModelsInfo",
                    set(c.message(RUNTIME + ".ModelInfoRequest"), "model_ids", List.of("ghost"))
                            .build()));
            assertThat(notServed.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(notServed.getStatus().getDescription()).contains("ghost");
        }
    }

    @Test
    void deployAndUndeployAModelFromItsFiles() throws Exception {
        try (TestServer server = TestServer.start(tmp, yaml(), Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(tmp, yaml()), server.server().grpcPort(), null)) {
            String id = (String) get(
                    c.call(TRAINING, RPC, request(c, "source", 1, p -> set(p, "batch_size", 4L))), "training_id");
            awaitState(c, id, "COMPLETED");
            JsonNode detail = server.http().get("/management/trainings/" + id).json();
            Path saved = Path.of(detail.get("save_path").asText());

            DynamicMessage.Builder deploy = set(c.message(RUNTIME + ".DeployModelRequest"), "model_id", "deployed");
            try (Stream<Path> files = Files.walk(saved)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    deploy.addRepeatedField(
                            deploy.getDescriptorForType().findFieldByName("model_files"),
                            set(
                                            set(
                                                    c.message("caikit_data_model.common.File"),
                                                    "filename",
                                                    saved.relativize(f).toString()),
                                            "data",
                                            ByteString.copyFrom(Files.readAllBytes(f)))
                                    .build());
                }
            }
            DynamicMessage info = c.call(KilnSchema.MODEL_MANAGEMENT, "DeployModel", deploy.build());
            assertThat(get(info, "name")).isEqualTo("deployed");
            assertThat(Path.of((String) get(info, "model_path"))).startsWith(tmp.resolve("local-models"));
            assertThat(answer(c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 10), "deployed")))
                    .isEqualTo(40.0);

            StatusRuntimeException again =
                    failure(() -> c.call(KilnSchema.MODEL_MANAGEMENT, "DeployModel", deploy.build()));
            assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(again.getStatus().getDescription()).contains("deployed");

            DynamicMessage undeploy = set(c.message(RUNTIME + ".UndeployModelRequest"), "model_id", "deployed")
                    .build();
            assertThat(get(c.call(KilnSchema.MODEL_MANAGEMENT, "UndeployModel", undeploy), "model_id"))
                    .isEqualTo("deployed");
            assertThat(tmp.resolve("local-models/deployed")).doesNotExist();
            StatusRuntimeException gone = failure(() -> c.call(KilnSchema.MODEL_MANAGEMENT, "UndeployModel", undeploy));
            assertThat(gone.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(failure(() -> c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 1), "deployed"))
                            .getStatus()
                            .getCode())
                    .isEqualTo(Status.Code.NOT_FOUND);
        }
    }

    @Test
    void aModelWhoseFilesDoNotLoadIsRefusedAtDeployAndAnswersNotFoundAtInference() throws Exception {
        try (TestServer server = TestServer.start(tmp, yaml(), Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(tmp, yaml()), server.server().grpcPort(), null)) {
            String id = (String) get(
                    c.call(TRAINING, RPC, request(c, "source", 1, p -> set(p, "batch_size", 4L))), "training_id");
            awaitState(c, id, "COMPLETED");
            Path saved = Path.of(server.http()
                    .get("/management/trainings/" + id)
                    .json()
                    .get("save_path")
                    .asText());
            Path weights = saved.resolve("weights.json");

            DynamicMessage.Builder deploy = set(c.message(RUNTIME + ".DeployModelRequest"), "model_id", "broken");
            try (Stream<Path> files = Files.walk(saved)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] data = f.equals(weights)
                            ? "{\"batch_size\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                            : Files.readAllBytes(f);
                    deploy.addRepeatedField(
                            deploy.getDescriptorForType().findFieldByName("model_files"),
                            set(
                                            set(
                                                    c.message("caikit_data_model.common.File"),
                                                    "filename",
                                                    saved.relativize(f).toString()),
                                            "data",
                                            ByteString.copyFrom(data))
                                    .build());
                }
            }
            StatusRuntimeException refused =
                    failure(() -> c.call(KilnSchema.MODEL_MANAGEMENT, "DeployModel", deploy.build()));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription())
                    .contains("Model 'broken' was not deployed")
                    .contains("Unexpected end-of-input");
            assertThat(tmp.resolve("local-models/broken")).doesNotExist();

            Path local = Files.createDirectories(tmp.resolve("local-models/broken-local"));
            try (Stream<Path> files = Files.list(saved)) {
                for (Path f : files.toList()) {
                    Files.copy(f, local.resolve(f.getFileName()));
                }
            }
            Files.writeString(local.resolve("weights.json"), "{\"batch_size\": ");
            server.server().serving().syncLocalModels();
            for (int attempt = 0; attempt < 2; attempt++) {
                StatusRuntimeException broken =
                        failure(() -> c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 1), "broken-local"));
                assertThat(broken.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(broken.getStatus().getDescription())
                        .contains("Model 'broken-local' could not be loaded")
                        .contains("Unexpected end-of-input");
            }
            assertThat(answer(c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 10), "source")))
                    .isEqualTo(40.0);
            DynamicMessage listed = c.call(
                    KilnSchema.INFO,
                    "GetModelsInfo",
                    set(c.message(RUNTIME + ".ModelInfoRequest"), "model_ids", List.of("broken-local"))
                            .build());
            Message info = (Message) ((List<?>) get(listed, "models")).get(0);
            assertThat(get(info, "loaded")).isEqualTo(false);
            assertThat(info.toString()).contains("load_error").contains("could not be loaded");

            Files.copy(weights, local.resolve("weights.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(answer(c.call(PREDICT, "SampleTaskPredict", predictRequest(c, 10), "broken-local")))
                    .isEqualTo(40.0);
        }
    }

    @Test
    void aBackgroundPredictionRunsToItsResult() throws Exception {
        try (TestServer server = TestServer.start(tmp, yaml(), Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(tmp, yaml()), server.server().grpcPort(), null)) {
            String id = (String) get(
                    c.call(TRAINING, RPC, request(c, "times-five", 1, p -> set(p, "batch_size", 5L))), "training_id");
            awaitState(c, id, "COMPLETED");
            String jobs = PKG + ".KilnJobService";
            DynamicMessage started = c.call(jobs, "SampleTaskStartPredictionJob", predictRequest(c, 7), "times-five");
            String predictionId = (String) get(started, "prediction_id");
            DynamicMessage info = set(c.message(RUNTIME + ".PredictionJobInfoRequest"), "prediction_id", predictionId)
                    .build();
            org.awaitility.Awaitility.await()
                    .atMost(TestServer.WAIT)
                    .until(() -> GrpcApiTest.state(c.call(jobs, "SampleTaskGetPredictionJobStatus", info))
                            .equals("COMPLETED"));
            assertThat(answer(c.call(jobs, "SampleTaskGetPredictionJobResult", info)))
                    .isEqualTo(35.0);
            assertThat(GrpcApiTest.state(c.call(jobs, "SampleTaskCancelPredictionJob", info)))
                    .as("a finished job stays as it ended")
                    .isEqualTo("COMPLETED");

            DynamicMessage unknown = set(c.message(RUNTIME + ".PredictionJobInfoRequest"), "prediction_id", "nope")
                    .build();
            StatusRuntimeException missing = failure(() -> c.call(jobs, "SampleTaskGetPredictionJobStatus", unknown));
            assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(missing.getStatus().getDescription()).contains("nope");
            StatusRuntimeException noModel =
                    failure(() -> c.call(jobs, "SampleTaskStartPredictionJob", predictRequest(c, 1), "nobody"));
            assertThat(noModel.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
    }
}
