package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child job's files: its captured output, and its model when it was given no save path. */
class ChildJvmOutputTest {
    @TempDir
    Path tmp;

    private ChildTrainers trainers;

    private ChildTrainers trainers() {
        if (trainers == null) {
            trainers = new ChildTrainers(tmp.resolve("work"));
        }
        return trainers;
    }

    @AfterEach
    void close() {
        if (trainers != null) {
            trainers.close();
        }
    }

    private LocalModelTrainer loudTrainer(String startMethod, int outputBytes, long capture) {
        return trainers()
                .trainer(
                        Map.of(
                                "subprocess_start_method",
                                startMethod,
                                "log_capture_bytes",
                                capture,
                                "environment",
                                Map.of(
                                        FakeWorkerMain.MODE,
                                        "loud",
                                        FakeWorkerMain.OUTPUT_BYTES,
                                        Integer.toString(outputBytes))),
                        o -> o.withMainClass(FakeWorkerMain.class.getName()));
    }

    @Test
    void outputIsCapturedAndReadableAfterTheJobEnded() throws Exception {
        ModelFuture future = loudTrainer("spawn", 100, 1 << 20)
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(future.logs())
                .contains("hello from the child before its job")
                .contains("xxxxx")
                .doesNotContain("kiln:{")
                .doesNotContain("output truncated");
        Path dir = trainers.runner(trainers.trainerOf(future)).jobDirectory(future.id());
        assertThat(Files.readString(dir.resolve("output.log"))).isEqualTo(future.logs());
        assertThat(Files.readString(dir.resolve("events.jsonl")))
                .contains("\"type\":\"started\"")
                .contains("\"type\":\"completed\"")
                .doesNotContain("heartbeat");
        assertThat(dir.resolve("spec.json")).exists();
    }

    @Test
    void outputBeyondTheCapIsDroppedBehindAVisibleMarker() throws Exception {
        ModelFuture future = loudTrainer("spawn", 20_000, 2_000)
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(future.logs()).startsWith("hello from the child").contains("[kiln: output truncated here");
        await().atMost(WAIT).until(() -> future.logs().contains("more bytes of output were not kept"));
        assertThat(future.logs().length()).isLessThan(2_400);
    }

    @Test
    void outputOfAPreStartedJvmBeforeItsJobIsKeptForThatJob() throws Exception {
        ModelFuture future = loudTrainer("forkserver", 0, 1 << 20)
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(future.logs()).contains("hello from the child before its job");
    }

    @Test
    void withoutASavePathTheModelIsSavedInTheJobDirectoryAndLoads() throws Exception {
        LocalModelTrainer trainer = trainers().trainer(Map.of());
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withBatchSize(11), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        Path saved = future.savePath().orElseThrow();
        assertThat(saved).startsWith(tmp.resolve("work")).endsWith(Path.of("model"));
        assertThat(((SampleModel) future.load()).batchSize()).isEqualTo(11);
        assertThat(ModelFormat.read(saved).string("tracking_id")).isEqualTo(future.id());
    }

    @Test
    void purgingAJobRemovesItsDirectory() throws Exception {
        LocalModelTrainer trainer = trainers().trainer(Map.of("retention_duration", "0s"));
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        Path dir = trainers.runner(trainer).jobDirectory(future.id());
        assertThat(dir).exists();

        assertThat(trainer.find(future.id())).isEmpty();
        assertThat(dir).doesNotExist();
    }

    @Test
    void loadingAModelThatIsGoneSaysSo() throws Exception {
        Path savePath = tmp.resolve("model");
        ModelFuture future = trainers()
                .trainer(Map.of())
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.saveTo(savePath));
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        ModelFormat.deleteRecursively(savePath);

        assertThatThrownBy(future::load)
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(future.id())
                .hasMessageContaining(savePath.toString())
                .hasMessageContaining("gone");
    }
}
