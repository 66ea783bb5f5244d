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
import org.junit.jupiter.api.AfterEach;
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
        Map<String, Object> config = new HashMap<>();
        config.put("use_subprocess", child);
        config.put("work_dir", tmp.resolve("work").toString());
        config.put("resume_interrupted", resume);
        config.put("max_concurrent_jobs", 1);
        config.put("checkpoint_grace", "0s"); // SampleModule does not answer a checkpoint request
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
