package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cancel(): CANCELED at once; by default SIGKILL to the child and its descendants at once, with its partial save
 * removed by the trainer; with a grace period, SIGTERM first and SIGKILL once the period is over.
 */
class ChildJvmCancelTest {
    @TempDir
    Path tmp;

    private ChildTrainers trainers;
    private long[] leftovers = new long[0];

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
        Arrays.stream(leftovers).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void byDefaultACancelledChildIsKilledAtOnceAndItsPartialSaveRemoved() throws Exception {
        Path started = tmp.resolve("started");
        Path savePath = tmp.resolve("model");
        LocalModelTrainer trainer = trainers().trainer(Map.of());
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withIgnoreCancel(true).withGate(tmp.resolve("never"), started),
                TrainOptions.saveTo(savePath));
        long pid = ChildTrainers.startedPid(started);
        leftovers = new long[] {pid};
        Path partial = Files.createDirectories(tmp.resolve(".model.saving-interrupted"));
        Files.writeString(partial.resolve("weights.json"), "{\"half\":");

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        ChildTrainers.awaitGone(pid); // no time passes on the trainer's scheduler: no grace period is waited for
        await().atMost(WAIT).until(() -> !Files.exists(partial));
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(savePath).doesNotExist();
        assertThat(Files.readString(
                        trainers.runner(trainer).jobDirectory(future.id()).resolve("events.jsonl")))
                .as("killed, not asked to stop")
                .doesNotContain("\"type\":\"cancelled\"");
    }

    @Test
    void byDefaultACancelKillsTheChildsDescendantsAtOnce() throws Exception {
        Path pids = tmp.resolve("pids");
        LocalModelTrainer trainer = trainers()
                .trainer(
                        Map.of(
                                "environment",
                                Map.of(
                                        FakeWorkerMain.MODE,
                                        "stubborn-with-child",
                                        FakeWorkerMain.PID_FILE,
                                        pids.toString())),
                        o -> o.withMainClass(FakeWorkerMain.class.getName()));
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        await().atMost(WAIT)
                .until(() -> Files.exists(pids) && Files.readString(pids).contains(" "));
        leftovers = Arrays.stream(Files.readString(pids).trim().split(" "))
                .mapToLong(Long::parseLong)
                .toArray();
        assertThat(Arrays.stream(leftovers).allMatch(ChildTrainers::alive))
                .as("worker and its child alive")
                .isTrue();

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        for (long pid : leftovers) {
            ChildTrainers.awaitGone(pid);
        }
    }

    @Test
    void aCooperativeChildStopsOnSigtermAndLeavesNoProcess() throws Exception {
        Path started = tmp.resolve("started");
        Path savePath = tmp.resolve("model");
        LocalModelTrainer trainer = trainers().trainer(Map.of("cancel_grace_period", "60s"));
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withGate(tmp.resolve("never"), started),
                TrainOptions.saveTo(savePath));
        long pid = ChildTrainers.startedPid(started);
        leftovers = new long[] {pid};

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        ChildTrainers.awaitGone(pid);
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(savePath).doesNotExist();
        await().atMost(WAIT)
                .until(() -> Files.readString(trainers.runner(trainer)
                                .jobDirectory(future.id())
                                .resolve("events.jsonl"))
                        .contains("\"type\":\"cancelled\""));
    }

    @Test
    void aChildIgnoringSigtermIsKilledAfterTheGracePeriodAndItsPartialSaveRemoved() throws Exception {
        Path started = tmp.resolve("started");
        Path savePath = tmp.resolve("model");
        LocalModelTrainer trainer = trainers().trainer(Map.of("cancel_grace_period", "1s"));
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withIgnoreCancel(true).withGate(tmp.resolve("never"), started),
                TrainOptions.saveTo(savePath));
        long pid = ChildTrainers.startedPid(started);
        leftovers = new long[] {pid};
        Path partial = Files.createDirectories(tmp.resolve(".model.saving-interrupted"));
        Files.writeString(partial.resolve("weights.json"), "{\"half\":");

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        trainers.time.advance(Duration.ofMillis(999));
        assertThat(ChildTrainers.alive(pid))
                .as("ignores SIGTERM within the grace period")
                .isTrue();
        trainers.time.advance(Duration.ofMillis(1));
        ChildTrainers.awaitGone(pid);
        await().atMost(WAIT).until(() -> !Files.exists(partial));
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(savePath).doesNotExist();
    }

    @Test
    void theGracePeriodKillsTheChildsDescendantsToo() throws Exception {
        Path pids = tmp.resolve("pids");
        LocalModelTrainer trainer = trainers()
                .trainer(
                        Map.of(
                                "cancel_grace_period",
                                "1s",
                                "environment",
                                Map.of(
                                        FakeWorkerMain.MODE,
                                        "stubborn-with-child",
                                        FakeWorkerMain.PID_FILE,
                                        pids.toString())),
                        o -> o.withMainClass(FakeWorkerMain.class.getName()));
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        await().atMost(WAIT)
                .until(() -> Files.exists(pids) && Files.readString(pids).contains(" "));
        leftovers = Arrays.stream(Files.readString(pids).trim().split(" "))
                .mapToLong(Long::parseLong)
                .toArray();
        assertThat(Arrays.stream(leftovers).allMatch(ChildTrainers::alive))
                .as("worker and its child alive")
                .isTrue();

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        trainers.time.advance(Duration.ofSeconds(1));
        for (long pid : leftovers) {
            ChildTrainers.awaitGone(pid);
        }
    }

    @Test
    void closingTheTrainerStopsItsChildren() throws Exception {
        Path started = tmp.resolve("started");
        LocalModelTrainer trainer = trainers().trainer(Map.of("cancel_grace_period", "1s"));
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withIgnoreCancel(true).withGate(tmp.resolve("never"), started),
                TrainOptions.none());
        long pid = ChildTrainers.startedPid(started);
        leftovers = new long[] {pid};

        trainer.close();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        ChildTrainers.awaitGone(pid);
    }
}
