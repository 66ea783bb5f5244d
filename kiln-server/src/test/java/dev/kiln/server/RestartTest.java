package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.jobs.Interruption;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.FakeClock;
import dev.kiln.testing.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and starting a server on the same journal, in this JVM: trainings keep an honest state. */
class RestartTest {
    /** One training at a time; unfinished ones are recorded as interrupted, not resumed. */
    private static final String ONE_AT_A_TIME = """
            model_management:
              trainers:
                default:
                  type: LOCAL
                  config: {max_concurrent_jobs: 1, resume_interrupted: false}
            """;

    @TempDir
    Path tmp;

    @Test
    void aRestartedServerKnowsEveryTrainingAndRecordsUnfinishedOnesAsInterrupted() throws Exception {
        String completed;
        String errored;
        String cancelled;
        String running;
        String queued;
        JsonNode completedBefore;
        try (TestServer a = TestServer.start(tmp, ONE_AT_A_TIME)) {
            completed = a.train("kept", TestServer.params().put("steps", 2).put("batch_size", 5));
            completedBefore = a.awaitState(completed, "COMPLETED");
            errored = a.train("e", TestServer.params().put("batch_size", 999));
            a.awaitState(errored, "ERRORED");
            cancelled = a.train(
                    "x", TestServer.params().put("gate_file", a.gate("x").toString()));
            a.awaitState(cancelled, "RUNNING");
            a.http().delete("/management/trainings?training_id=" + cancelled);
            running = a.train(
                    "r", TestServer.params().put("gate_file", a.gate("r").toString()));
            a.awaitState(running, "RUNNING");
            queued = a.train("q", TestServer.params());
            assertThat(a.status(queued).get("state").asText()).isEqualTo("QUEUED");
        }

        try (TestServer b = TestServer.start(tmp, ONE_AT_A_TIME)) {
            Http http = b.http();
            assertThat(http.get("/management/trainings").json().get("total").asLong())
                    .isEqualTo(5);
            assertThat(b.status(completed)).isEqualTo(completedBefore);
            assertThat(b.status(errored).get("reasons").get(0).asText()).isEqualTo("Batch size of 999 is not allowed!");
            assertThat(b.status(cancelled).get("state").asText()).isEqualTo("CANCELED");
            for (String id : new String[] {running, queued}) {
                JsonNode s = b.status(id);
                assertThat(s.get("state").asText()).as(id).isEqualTo("ERRORED");
                assertThat(s.get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
                assertThat(s.get("completion_timestamp").isNull()).isFalse();
            }

            JsonNode detail = http.get("/management/trainings/" + completed).json();
            assertThat(detail.get("live").asBoolean()).isFalse();
            assertThat(detail.get("parameters").get("batch_size").asInt()).isEqualTo(5);
            assertThat(detail.get("module").get("name").asText()).isEqualTo("SampleModule");
            assertThat(detail.get("progress").get("step").asLong()).isEqualTo(2);
            assertThat(http.get("/management/trainings/" + completed + "/progress")
                            .json()
                            .get("points"))
                    .hasSize(2);
            SampleModel model = (SampleModel)
                    ModelFormat.load(Path.of(detail.get("save_path").asText()));
            assertThat(model.batchSize()).isEqualTo(5);
            assertThat(http.get("/management/trainings/" + running)
                            .json()
                            .get("errors")
                            .get(0)
                            .get("kind")
                            .asText())
                    .isEqualTo("INTERRUPTED");

            ObjectNode retry = TestServer.request("r", TestServer.params());
            retry.put("training_id", running);
            assertThat(http.post(TestServer.SAMPLE_ROUTE, retry).status()).isEqualTo(200);
            b.awaitState(running, "COMPLETED");
            assertThat(http.delete("/management/trainings?training_id=" + errored)
                            .json()
                            .get("state")
                            .asText())
                    .isEqualTo("ERRORED");
        }
    }

    @Test
    void aGracefulStopRefusesNewTrainingsButWaitsForRunningOnesWhileStillAnsweringReads() throws Exception {
        TestServer a = TestServer.start(tmp, "runtime: {http: {server_shutdown_grace_period_seconds: 120}}");
        Path gate = a.gate("g");
        String id = a.train("m", TestServer.params().put("gate_file", gate.toString()));
        a.awaitState(id, "RUNNING");

        CompletableFuture<Void> stopping =
                CompletableFuture.runAsync(() -> a.server().stop());
        await().atMost(TestServer.WAIT).until(() -> a.http().get("/health").status() == 503);
        Http.Reply refused = a.http().post(TestServer.SAMPLE_ROUTE, TestServer.request("n", TestServer.params()));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().get("details").asText()).contains("shutting down");
        assertThat(a.status(id).get("state").asText()).isEqualTo("RUNNING");
        assertThat(stopping).isNotDone();

        TestServer.open(gate);
        stopping.get(60, TimeUnit.SECONDS);

        try (TestServer b = TestServer.start(tmp, "")) {
            assertThat(b.status(id).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(b.http().get("/management/trainings").json().get("total").asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void retentionPurgesJournalRowsAndTheModelsTheyCreated() throws Exception {
        String old;
        Path saved;
        try (TestServer a = TestServer.start(tmp, "")) {
            old = a.train("old", TestServer.params());
            a.awaitState(old, "COMPLETED");
            saved = Path.of(a.http()
                    .get("/management/trainings/" + old)
                    .json()
                    .get("save_path")
                    .asText());
        }
        assertThat(Files.isDirectory(saved)).isTrue();

        FakeClock clock = new FakeClock(Instant.now().plus(Duration.ofHours(23)));
        try (TestServer b = TestServer.start(
                KilnServer.builder(TestServer.config(tmp, "")).port(0).clock(clock))) {
            assertThat(b.status(old).get("state").asText()).isEqualTo("COMPLETED");
            clock.advance(Duration.ofHours(2));
            assertThat(b.server().trainings().purgeExpired()).hasSize(1);
            assertThat(b.http().get("/management/trainings?training_id=" + old).status())
                    .isEqualTo(404);
            assertThat(b.http().get("/management/trainings").json().get("total").asLong())
                    .isZero();
            assertThat(Files.exists(saved)).isFalse();
        }
    }

    @Test
    void withoutRetentionNothingIsPurged() {
        String yaml = """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {retention_duration: null}
                """;
        String id;
        try (TestServer a = TestServer.start(tmp, yaml)) {
            id = a.train("m", TestServer.params());
            a.awaitState(id, "COMPLETED");
        }
        FakeClock clock = new FakeClock(Instant.now().plus(Duration.ofDays(3650)));
        try (TestServer b = TestServer.start(
                KilnServer.builder(TestServer.config(tmp, yaml)).port(0).clock(clock))) {
            assertThat(b.server().trainings().purgeExpired()).isEmpty();
            assertThat(b.status(id).get("state").asText()).isEqualTo("COMPLETED");
        }
    }
}
