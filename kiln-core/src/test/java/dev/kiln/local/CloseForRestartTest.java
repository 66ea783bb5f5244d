package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.config.Settings;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A LOCAL trainer closed for a restart of its process leaves its unfinished trainings resumable: they end CANCELED
 * here and keep their checkpoints; a plain close, or a trainer that does not resume interrupted trainings, deletes
 * them. In a thread and in a child JVM.
 */
class CloseForRestartTest {
    private static final Duration WAIT = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    private LocalModelTrainer trainer;

    @AfterEach
    void close() {
        if (trainer != null) {
            trainer.close();
        }
    }

    private LocalModelTrainer trainer(boolean child, boolean resume) {
        return trainer(child, resume, "0s"); // SampleModule does not answer a checkpoint request
    }

    private LocalModelTrainer trainer(boolean child, boolean resume, String checkpointGrace) {
        Map<String, Object> config = new HashMap<>();
        config.put("use_subprocess", child);
        config.put("work_dir", tmp.resolve("work").toString());
        config.put("resume_interrupted", resume);
        config.put("max_concurrent_jobs", 1);
        config.put("checkpoint_grace", checkpointGrace);
        JsonNode json = KilnJson.data().valueToTree(config);
        trainer = LocalModelTrainer.builder()
                .name("restart-test")
                .settings(LocalTrainerSettings.from(new Settings("test.config", json)))
                .build();
        return trainer;
    }

    /** Starts a training that saves checkpoints 1 and 2 and then waits for a gate that never opens. */
    private ModelFuture running(String name) {
        Path started = tmp.resolve(name + ".started");
        ModelFuture f = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults()
                        .withCheckpoints(2, tmp.resolve(name + ".log"))
                        .withGate(tmp.resolve("never"), started),
                TrainOptions.none());
        await().atMost(WAIT).until(() -> Files.exists(started));
        return f;
    }

    private OptionalLong latestStep(ModelFuture f) {
        return new CheckpointStore(trainer.checkpointDirectory(f.id()), 2).latestStep();
    }

    @ParameterizedTest(name = "child JVM: {0}")
    @ValueSource(booleans = {false, true})
    void closingForARestartStopsRunningAndQueuedTrainingsAndKeepsTheirCheckpoints(boolean child) throws Exception {
        trainer(child, true);
        ModelFuture running = running("running");
        ModelFuture queued = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(queued.info().status()).isEqualTo(JobStatus.QUEUED);

        trainer.closeForRestart();

        assertThat(running.await(WAIT).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(queued.await(WAIT).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(latestStep(running)).hasValue(2);
        assertThat(Files.isDirectory(trainer.checkpointDirectory(running.id()))).isTrue();
    }

    /**
     * The training reports two more steps after the trainer's request for a last checkpoint and then saves it: those
     * steps are not recorded, so the progress a restarted trainer reads is never ahead of the checkpoint it resumes
     * from (a child JVM keeps training between its checkpoint and its stop, and used to report a step past it).
     */
    @Test
    void progressReportedAfterTheLastCheckpointRequestIsNotRecorded() throws Exception {
        trainer(false, true, "1m");
        CountDownLatch checkpointed = new CountDownLatch(1);
        AwaitRunsUnstartedJobTest.Scripted module = new AwaitRunsUnstartedJobTest.Scripted(context -> {
            context.reportProgress(1, 5, Map.of());
            context.saveCheckpoint(1, new byte[] {1});
            checkpointed.countDown();
            await().atMost(WAIT).until(context::checkpointRequested);
            context.reportProgress(2, 5, Map.of());
            context.reportProgress(3, 5, Map.of());
            context.saveCheckpoint(3, new byte[] {3});
            await().atMost(WAIT).until(context::isCancelled);
            context.throwIfCancelled();
        });
        ModelFuture running = trainer.train(module, new AwaitRunsUnstartedJobTest.Script(), TrainOptions.none());
        checkpointed.await();
        assertThat(running.info().progress().step()).isEqualTo(1);

        trainer.closeForRestart();

        assertThat(running.await(WAIT).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(latestStep(running)).hasValue(3);
        assertThat(running.info().progress().step()).isEqualTo(1);
    }

    @ParameterizedTest(name = "child JVM: {0}")
    @ValueSource(booleans = {false, true})
    void aPlainCloseDeletesTheCheckpoints(boolean child) throws Exception {
        trainer(child, true);
        ModelFuture running = running("running");
        assertThat(latestStep(running)).hasValue(2);

        trainer.close();

        assertThat(running.await(WAIT).status()).isEqualTo(JobStatus.CANCELED);
        await().atMost(WAIT).until(() -> !Files.exists(trainer.checkpointDirectory(running.id())));
    }

    @ParameterizedTest(name = "child JVM: {0}")
    @ValueSource(booleans = {false, true})
    void withoutResumeInterruptedClosingForARestartIsAPlainClose(boolean child) throws Exception {
        trainer(child, false);
        ModelFuture running = running("running");

        trainer.closeForRestart();

        assertThat(running.await(WAIT).status()).isEqualTo(JobStatus.CANCELED);
        await().atMost(WAIT).until(() -> !Files.exists(trainer.checkpointDirectory(running.id())));
    }
}
