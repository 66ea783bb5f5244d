package dev.kiln.server.grpc;

import static dev.kiln.server.grpc.GrpcApiTest.awaitState;
import static dev.kiln.server.grpc.GrpcApiTest.id;
import static dev.kiln.server.grpc.GrpcApiTest.request;
import static dev.kiln.server.grpc.GrpcClient.failure;
import static dev.kiln.server.grpc.GrpcClient.get;
import static dev.kiln.server.grpc.GrpcClient.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.kiln.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's training fields over gRPC: a train request sets {@code priority} and {@code max_retries} through the
 * {@code kiln-priority} and {@code kiln-max-retries} metadata (caikit's train request and status messages stay
 * caikit's), and Kiln's {@code WatchTraining} events carry the priority, the current attempt and every attempt.
 */
class GrpcAttemptsTest {
    private static final String PKG = "caikit.runtime.Kiln";
    private static final String TRAINING = PKG + ".KilnTrainingService";
    private static final String RPC = "SampleTaskSampleModuleTrain";
    private static final String YAML = """
            model_management:
              trainers:
                default:
                  type: LOCAL
                  config:
                    retry_backoff: {initial: 0.01s, max: 0.01s}
            """;

    @TempDir
    Path tmp;

    private static DynamicMessage failingOnce(GrpcClient c, String model, Path log) {
        return request(
                c,
                model,
                1,
                p -> set(
                        set(set(set(p, "checkpoint_steps", 3L), "steps", 3L), "attempt_log", log.toString()),
                        "failing_attempts",
                        1L));
    }

    private static List<DynamicMessage> watch(GrpcClient c, String trainingId) {
        Iterator<DynamicMessage> events = c.stream(KilnSchema.TRAINING_WATCH, "WatchTraining", id(c, trainingId));
        List<DynamicMessage> all = new java.util.ArrayList<>();
        events.forEachRemaining(all::add);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static List<DynamicMessage> attempts(DynamicMessage event) {
        return (List<DynamicMessage>) get(event, "attempts");
    }

    @Test
    void priorityAndMaxRetriesTravelAsMetadataAndTheWatchShowsEveryAttempt() throws Exception {
        try (TestServer server = TestServer.start(tmp, YAML, Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(server.dir(), YAML), server.server().grpcPort(), null)) {
            String retried = (String) get(
                    c.callWith(
                            TRAINING,
                            RPC,
                            failingOnce(c, "retried", tmp.resolve("retried.log")),
                            Map.of("kiln-priority", "7", "kiln-max-retries", "1")),
                    "training_id");
            String single = (String) get(
                    c.callWith(
                            TRAINING,
                            RPC,
                            failingOnce(c, "single", tmp.resolve("single.log")),
                            Map.of("kiln-priority", "-2", "kiln-max-retries", "0")),
                    "training_id");
            awaitState(c, retried, "COMPLETED");
            awaitState(c, single, "ERRORED");

            JsonNode http =
                    server.http().get("/management/trainings/" + retried).json();
            assertThat(http.get("priority").asInt()).isEqualTo(7);
            assertThat(http.get("attempt").asInt()).isEqualTo(2);

            DynamicMessage done = watch(c, retried).get(0);
            assertThat(get(done, "priority")).isEqualTo(7);
            assertThat(get(done, "attempt")).isEqualTo(2);
            List<DynamicMessage> attempts = attempts(done);
            assertThat(attempts).hasSize(2);
            assertThat(get(attempts.get(0), "number")).isEqualTo(1);
            assertThat(get(attempts.get(0), "outcome")).isEqualTo("RETRIED");
            assertThat((String) get(attempts.get(0), "error")).isNotBlank();
            assertThat(attempts.get(0).hasField(field(attempts.get(0), "ended")))
                    .isTrue();
            assertThat(get(attempts.get(1), "number")).isEqualTo(2);
            assertThat(get(attempts.get(1), "outcome")).isEqualTo("COMPLETED");
            assertThat(get(attempts.get(1), "error")).isEqualTo("");

            DynamicMessage failed = watch(c, single).get(0);
            assertThat(get(failed, "priority")).isEqualTo(-2);
            assertThat(get(failed, "attempt")).isEqualTo(1);
            assertThat(attempts(failed))
                    .singleElement()
                    .satisfies(a -> assertThat(get(a, "outcome")).isEqualTo("ERRORED"));
        }
    }

    @Test
    void withoutMetadataThePriorityIsZeroAndBadMetadataIsRefusedNamingTheKey() throws Exception {
        try (TestServer server = TestServer.start(tmp, YAML, Map.of());
                GrpcClient c = new GrpcClient(
                        TestServer.config(server.dir(), YAML), server.server().grpcPort(), null)) {
            String plain = (String) get(c.call(TRAINING, RPC, request(c, "plain", 1, p -> {})), "training_id");
            awaitState(c, plain, "COMPLETED");
            DynamicMessage event = watch(c, plain).get(0);
            assertThat(get(event, "priority")).isEqualTo(0);
            assertThat(get(event, "attempt")).isEqualTo(1);
            assertThat(attempts(event)).hasSize(1);

            StatusRuntimeException priority = failure(
                    () -> c.callWith(TRAINING, RPC, request(c, "bad", 1, p -> {}), Map.of("kiln-priority", "high")));
            assertThat(priority.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(priority.getStatus().getDescription())
                    .contains("kiln-priority")
                    .contains("'high'");
            StatusRuntimeException retries = failure(
                    () -> c.callWith(TRAINING, RPC, request(c, "bad", 1, p -> {}), Map.of("kiln-max-retries", "-1")));
            assertThat(retries.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(retries.getStatus().getDescription()).contains("kiln-max-retries");
            assertThat(server.http()
                            .get("/management/trainings")
                            .json()
                            .get("total")
                            .asLong())
                    .as("nothing submitted for the refused requests")
                    .isEqualTo(1);
        }
    }

    /** caikit's client parses strictly: Kiln's fields are only in Kiln's own messages. */
    @Test
    void caikitsTrainRequestAndStatusMessagesKeepExactlyCaikitsFields() {
        KilnSchema schema = KilnSchema.build(
                ServiceNames.from(TestServer.config(tmp, "")), dev.kiln.module.ModuleRegistry.global());
        Descriptor status = schema.message(ServiceNames.RUNTIME_DATA_MODEL + ".TrainingStatusResponse");
        assertThat(status.getFields().stream().map(FieldDescriptor::getName))
                .containsExactly("training_id", "state", "submission_timestamp", "completion_timestamp", "reasons");
        Descriptor train = schema.message(PKG + ".SampleTaskSampleModuleTrainRequest");
        assertThat(train.getFields().stream().map(FieldDescriptor::getName))
                .containsExactly("model_name", "output_path", "parameters");
    }

    private static FieldDescriptor field(Message m, String name) {
        return m.getDescriptorForType().findFieldByName(name);
    }
}
