package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.job.JobStatus;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.testing.JournalFile;
import dev.kiln.server.testing.RealSlurm;
import dev.kiln.server.testing.TestServer;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.slurm.scheduler.SlurmState;
import dev.kiln.testing.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose default trainer is SLURM, on a real Slurm: a graceful stop leaves the Slurm job running and the
 * journal RUNNING, and a new server on the same journal and work directory follows the training to COMPLETED —
 * whether the job ends while that server runs or before it starts.
 */
class SlurmRestartTest {
    @TempDir
    Path tmp;

    private final List<String> slurmJobs = new ArrayList<>();

    @BeforeEach
    void slurmIsRunning() {
        RealSlurm.assumeRunning();
    }

    /** Cancels what is left, and waits until Slurm has ended it, so no job writes into a directory being deleted. */
    @AfterEach
    void drain() {
        for (String job : slurmJobs) {
            RealSlurm.commands().cancel(job);
        }
        await().atMost(TestServer.WAIT).until(() -> slurmJobs.stream().allMatch(j -> finished(j)));
    }

    private static boolean finished(String slurmJobId) {
        return RealSlurm.job(slurmJobId).map(s -> s.state().isFinished()).orElse(true);
    }

    private Path workDir() {
        return tmp.resolve("slurm-work");
    }

    /** SLURM as the default trainer; the long grace period would show if a stop waited for its trainings. */
    private TestServer start() {
        return TestServer.start(tmp, """
                runtime: {http: {server_shutdown_grace_period_seconds: 600}}
                model_management:
                  trainers:
                    default:
                      type: SLURM
                      config: {work_dir: "%s", poll_interval: 0.2s}
                """.formatted(workDir()));
    }

    private JournalFile journal() {
        return new JournalFile(tmp.resolve("journal.db"));
    }

    /** Submits a gated training over HTTP and waits until it runs on a node; returns its training id. */
    private String trainGated(TestServer server, Path gate, Path started) {
        String id = server.train(
                "gated",
                TestServer.params()
                        .put("gate_file", gate.toString())
                        .put("started_file", started.toString())
                        .put("batch_size", 5));
        slurmJobs.add(RealSlurm.jobId(workDir(), id));
        await().atMost(TestServer.WAIT).until(() -> Files.exists(started));
        server.awaitState(id, "RUNNING");
        return id;
    }

    /** Stops gracefully, and fails if the stop waits for the training (the grace period is ten minutes). */
    private static void stopWithoutWaiting(TestServer server) throws Exception {
        CompletableFuture.runAsync(() -> server.server().stop()).get(60, TimeUnit.SECONDS);
    }

    private void assertStillRunningAfterTheStop(String id) {
        assertThat(journal().state(id)).isEqualTo(JobStatus.RUNNING);
        assertThat(journal().row(id).completedNanos()).isNull();
        SlurmJobStatus job = RealSlurm.job(RealSlurm.jobId(workDir(), id)).orElseThrow();
        assertThat(job.state()).as("Slurm job %s", job.jobId()).isEqualTo(SlurmState.RUNNING);
    }

    private static void assertCompletedWithItsModel(TestServer server, JournalFile journal, String id) {
        JsonNode status = server.awaitState(id, "COMPLETED");
        assertThat(status.get("reasons")).isEmpty();
        await().atMost(TestServer.WAIT).until(() -> journal.state(id) == JobStatus.COMPLETED);
        assertThat(journal.row(id).errors()).isEqualTo("[]");
        JsonNode detail = server.http().get("/management/trainings/" + id).json();
        assertThat(detail.get("state").asText()).isEqualTo("COMPLETED");
        SampleModel model =
                (SampleModel) ModelFormat.load(Path.of(detail.get("save_path").asText()));
        assertThat(model.batchSize()).isEqualTo(5);
    }

    @Test
    void aTrainingRunningThroughAGracefulStopCompletesUnderTheNextServer() throws Exception {
        Path gate = tmp.resolve("gate");
        TestServer a = start();
        String id = trainGated(a, gate, tmp.resolve("started"));

        stopWithoutWaiting(a);

        assertStillRunningAfterTheStop(id);
        try (TestServer b = start()) {
            JsonNode reattached = b.http().get("/management/trainings/" + id).json();
            assertThat(reattached.get("state").asText()).isEqualTo("RUNNING");
            assertThat(reattached.get("live").asBoolean()).isTrue();
            assertThat(journal().state(id)).isEqualTo(JobStatus.RUNNING);

            TestServer.open(gate);

            assertCompletedWithItsModel(b, journal(), id);
        }
        assertThat(journal().state(id)).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aTrainingThatCompletedWhileNoServerRanIsCompletedUnderTheNextServer() throws Exception {
        Path gate = tmp.resolve("gate");
        TestServer a = start();
        String id = trainGated(a, gate, tmp.resolve("started"));
        stopWithoutWaiting(a);
        assertStillRunningAfterTheStop(id);

        TestServer.open(gate);
        String slurmJob = RealSlurm.jobId(workDir(), id);
        await().atMost(TestServer.WAIT).until(() -> finished(slurmJob));
        assertThat(RealSlurm.job(slurmJob).orElseThrow().state()).isEqualTo(SlurmState.COMPLETED);
        assertThat(journal().state(id)).as("no server ran to see it end").isEqualTo(JobStatus.RUNNING);

        try (TestServer b = start()) {
            assertCompletedWithItsModel(b, journal(), id);
        }
    }
}
