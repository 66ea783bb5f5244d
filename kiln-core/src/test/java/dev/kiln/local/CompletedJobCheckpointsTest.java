package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A completed training's checkpoints go with it. Under a generated id they go once the worker has let go of the job
 * (a child JVM's worker claimed the directory, and holds it until it exits); under an external id, which a new
 * training may take as soon as the callers wake, they are gone before the end is reported.
 */
class CompletedJobCheckpointsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private LocalModelTrainer trainer;

    @AfterEach
    void close() {
        if (trainer != null) {
            trainer.close();
        }
    }

    private LocalModelTrainer trainer(String startMethod) {
        Map<String, Object> all = new HashMap<>();
        all.put("use_subprocess", !startMethod.equals("thread"));
        if (!startMethod.equals("thread")) {
            all.put("subprocess_start_method", startMethod);
        }
        all.put("work_dir", tmp.resolve("work").toString());
        JsonNode json = KilnJson.data().valueToTree(all);
        trainer = LocalModelTrainer.builder()
                .name("checkpoints-test")
                .settings(LocalTrainerSettings.from(new Settings("test.config", json)))
                .build();
        return trainer;
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "spawn", "forkserver"})
    void aCompletedTrainingUnderAGeneratedIdLeavesNoCheckpointDirectory(String startMethod) throws Exception {
        LocalModelTrainer trainer = trainer(startMethod);
        Path attempts = tmp.resolve("attempts");
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withCheckpoints(3, attempts), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);

        Path dir = trainer.checkpointDirectory(future.id());
        await().atMost(WAIT).until(() -> !Files.exists(dir));
        assertThat(Files.readAllLines(attempts)).containsExactly("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "spawn", "forkserver"})
    void anExternalIdTakenAgainAtOnceStartsWithoutTheCompletedTrainingsCheckpoints(String startMethod)
            throws Exception {
        LocalModelTrainer trainer = trainer(startMethod);
        Path first = tmp.resolve("first-attempts");
        Path second = tmp.resolve("second-attempts");
        TrainOptions again = TrainOptions.none().withExternalTrainingId("again");

        ModelFuture one =
                trainer.train(new SampleModule(), SampleModule.Params.defaults().withCheckpoints(3, first), again);
        assertThat(one.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(trainer.checkpointDirectory("again")).doesNotExist();

        ModelFuture two =
                trainer.train(new SampleModule(), SampleModule.Params.defaults().withCheckpoints(3, second), again);
        assertThat(two.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(Files.readAllLines(second))
                .as("the step the second training resumed from")
                .containsExactly("0");
    }
}
