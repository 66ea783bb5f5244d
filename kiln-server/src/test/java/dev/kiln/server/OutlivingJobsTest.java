package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.server.jobs.Interruption;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.server.journal.SqliteJobJournal;
import dev.kiln.server.testing.FakeCluster;
import dev.kiln.server.testing.JournalFile;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainings on a trainer whose jobs outlive the server (a stand-in for a batch scheduler): a stop leaves them running
 * and QUEUED or RUNNING in the journal, and the next start takes them over from the trainer instead of recording them
 * as interrupted — while a LOCAL trainer's trainings in the same journal are interrupted as always.
 */
class OutlivingJobsTest {
    @TempDir
    Path tmp;

    private String key;
    private FakeCluster cluster;

    @BeforeEach
    void registerCluster() {
        key = tmp.toString();
        cluster = FakeCluster.register(key, Clock.systemUTC());
    }

    @AfterEach
    void unregisterCluster() {
        FakeCluster.unregister(key);
    }

    /** The cluster as the default trainer, beside a LOCAL one; the grace period is long enough to notice a wait. */
    private String yaml() {
        return """
                runtime: {http: {server_shutdown_grace_period_seconds: 600}}
                model_management:
                  trainers:
                    default:
                      import_class: dev.kiln.server.testing.FakeCluster$Provider
                      config: {cluster: "%s"}
                    local:
                      type: LOCAL
                      config: {resume_interrupted: false}
                """.formatted(key);
    }

    private TestServer start() {
        return TestServer.start(tmp, yaml());
    }

    private JournalFile journal() {
        return new JournalFile(tmp.resolve("journal.db"));
    }

    private static String trainOnLocal(TestServer s, Path gate) {
        ObjectNode body = TestServer.request("local", TestServer.params().put("gate_file", gate.toString()));
        body.put("trainer", "local");
        JsonNode reply = s.http().post(TestServer.SAMPLE_ROUTE, body).json();
        return reply.get("training_id").asText();
    }

    /** Stops gracefully and fails if the stop waited for trainings that never end. */
    private static void stop(TestServer s) throws Exception {
        CompletableFuture.runAsync(() -> s.server().stop()).get(60, TimeUnit.SECONDS);
    }

    @Test
    void aStopLeavesTheClusterTrainingRunningAndTheNextStartFollowsItToTheEnd() throws Exception {
        TestServer a = start();
        String id = a.train("m", TestServer.params());
        cluster.start(id);
        cluster.progress(id, 1, 2);
        a.awaitState(id, "RUNNING");

        stop(a);

        assertThat(cluster.info(id).status())
                .as("the stop neither waited for nor cancelled it")
                .isEqualTo(JobStatus.RUNNING);
        assertThat(journal().state(id)).isEqualTo(JobStatus.RUNNING);
        assertThat(journal().row(id).completedNanos()).isNull();

        cluster.progress(id, 2, 2);
        try (TestServer b = start()) {
            JsonNode detail = b.http().get("/management/trainings/" + id).json();
            assertThat(detail.get("state").asText()).isEqualTo("RUNNING");
            assertThat(detail.get("live").asBoolean()).isTrue();
            assertThat(journal().state(id)).isEqualTo(JobStatus.RUNNING);
            await().atMost(TestServer.WAIT)
                    .untilAsserted(() -> assertThat(b.http()
                                    .get("/management/trainings/" + id + "/progress")
                                    .json()
                                    .get("points"))
                            .hasSize(2));

            cluster.complete(id);

            assertThat(journal().state(id))
                    .as("journaled by the listener as it ended")
                    .isEqualTo(JobStatus.COMPLETED);
            JsonNode status = b.status(id);
            assertThat(status.get("state").asText()).isEqualTo("COMPLETED");
            assertThat(status.get("reasons")).isEmpty();
            assertThat(b.http().get("/management/trainings/" + id + "/logs").body())
                    .isEqualTo("output of " + id + "\n");
            Path saved = Path.of(b.http()
                    .get("/management/trainings/" + id)
                    .json()
                    .get("save_path")
                    .asText());
            assertThat(((SampleModel) ModelFormat.load(saved)).batchSize()).isEqualTo(7);
        }
    }

    @Test
    void aStopInterruptsTheLocalTrainingButNotTheClusterOne() throws Exception {
        TestServer a = start();
        String onCluster = a.train("m", TestServer.params());
        cluster.start(onCluster);
        String local = trainOnLocal(a, a.gate("never"));
        a.awaitState(local, "RUNNING");

        a.server().stop(Duration.ZERO);

        assertThat(journal().state(local)).isEqualTo(JobStatus.ERRORED);
        assertThat(journal().row(local).errors()).contains(Interruption.REASON);
        assertThat(journal().state(onCluster)).isEqualTo(JobStatus.RUNNING);
        assertThat(cluster.info(onCluster).status()).isEqualTo(JobStatus.RUNNING);
        try (TestServer b = start()) {
            assertThat(b.status(local).get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
            assertThat(b.status(onCluster).get("state").asText()).isEqualTo("RUNNING");
            assertThat(b.http()
                            .get("/management/trainings?state=RUNNING")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void aClusterTrainingThatEndedWhileNoServerRanIsJournaledAtTheNextStart() throws Exception {
        String queued;
        String started;
        try (TestServer a = start()) {
            queued = a.train("q", TestServer.params());
            started = a.train("s", TestServer.params());
        }
        assertThat(journal().state(queued)).isEqualTo(JobStatus.QUEUED);
        cluster.start(queued);
        cluster.complete(queued);
        cluster.start(started);

        try (TestServer b = start()) {
            assertThat(journal().state(queued)).as("journaled during the start").isEqualTo(JobStatus.COMPLETED);
            assertThat(journal().state(started)).isIn(JobStatus.QUEUED, JobStatus.RUNNING);
            await().atMost(TestServer.WAIT).until(() -> journal().state(started) == JobStatus.RUNNING);
            assertThat(b.status(queued).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(b.http()
                            .get("/management/trainings?state=COMPLETED")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(1);
            assertThat(b.http().get("/management/trainings/" + queued + "/logs").body())
                    .isEqualTo("output of " + queued + "\n");
        }
    }

    @Test
    void aClusterTrainingTheTrainerNoLongerTracksIsInterruptedSayingSoAndOtherTrainersAsAlways() throws Exception {
        String id;
        try (TestServer a = start()) {
            id = a.train("m", TestServer.params());
        }
        cluster.forget(id);
        try (SqliteJobJournal j = SqliteJobJournal.open(tmp.resolve("journal.db"))) {
            j.recordSubmitted(unfinished("crashed-local", "local"));
            j.recordSubmitted(unfinished("of-a-removed-trainer", "removed"));
        }

        try (TestServer b = start()) {
            JsonNode status = b.status(id);
            assertThat(status.get("state").asText()).isEqualTo("ERRORED");
            assertThat(status.get("reasons").get(0).asText())
                    .isEqualTo(Interruption.untrackedReason("default"))
                    .isEqualTo("interrupted: the server stopped before this training finished, and trainer default"
                            + " no longer tracks it");
            assertThat(status.get("completion_timestamp").isNull()).isFalse();
            assertThat(b.http()
                            .get("/management/trainings/" + id)
                            .json()
                            .get("errors")
                            .get(0)
                            .get("kind")
                            .asText())
                    .isEqualTo("INTERRUPTED");
            for (String other : new String[] {"crashed-local", "of-a-removed-trainer"}) {
                assertThat(b.status(other).get("state").asText()).as(other).isEqualTo("ERRORED");
                assertThat(b.status(other).get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
            }
        }
        assertThat(journal().state(id)).isEqualTo(JobStatus.ERRORED);
    }

    private static JobRecord unfinished(String id, String trainer) {
        return new JobRecord(
                trainer,
                ModuleDescriptor.of(SampleModule.class),
                null,
                null,
                TrainOptions.none(),
                null,
                false,
                JobInfo.queued(id, Instant.now()));
    }

    @Test
    void aClusterTrainingCancelledThroughTheApiIsCancelledNotInterrupted() throws Exception {
        try (TestServer a = start()) {
            String id = a.train("m", TestServer.params());
            cluster.start(id);

            assertThat(a.http()
                            .delete("/management/trainings?training_id=" + id)
                            .json()
                            .get("state")
                            .asText())
                    .isEqualTo("CANCELED");

            assertThat(cluster.info(id).status()).isEqualTo(JobStatus.CANCELED);
            assertThat(journal().state(id)).isEqualTo(JobStatus.CANCELED);
        }
    }
}
