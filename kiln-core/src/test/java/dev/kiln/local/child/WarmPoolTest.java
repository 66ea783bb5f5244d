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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forkserver: pre-started JVMs, one job each, replaced at once, all gone when the trainer closes. */
class WarmPoolTest {
    @TempDir
    Path tmp;

    private ChildTrainers trainers;

    @AfterEach
    void close() {
        if (trainers != null) {
            trainers.close();
        }
    }

    private LocalModelTrainer pool(int size) {
        trainers = new ChildTrainers(tmp.resolve("work"));
        return trainers.trainer(Map.of("subprocess_start_method", "forkserver", "warm_pool_size", size));
    }

    private LocalModelTrainer pool(int size, String refill) {
        trainers = new ChildTrainers(tmp.resolve("work"));
        return trainers.trainer(
                Map.of("subprocess_start_method", "forkserver", "warm_pool_size", size, "warm_pool_refill", refill));
    }

    private List<Long> awaitIdle(LocalModelTrainer trainer, int size) {
        ChildJvmRunner runner = trainers.runner(trainer);
        await().atMost(WAIT).until(() -> runner.idleWorkers().size() == size);
        return runner.idleWorkers();
    }

    @Test
    void eachPreStartedJvmTakesOneJobAndIsReplacedAtOnce() throws Exception {
        LocalModelTrainer trainer = pool(2);
        List<Long> before = awaitIdle(trainer, 2);

        Path started = tmp.resolve("started-1");
        ModelFuture first = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(null, started), TrainOptions.none());
        long firstPid = ChildTrainers.startedPid(started);
        assertThat(before).contains(firstPid);
        assertThat(first.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        ChildTrainers.awaitGone(firstPid);

        List<Long> refilled = awaitIdle(trainer, 2);
        assertThat(refilled).doesNotContain(firstPid);

        Path started2 = tmp.resolve("started-2");
        ModelFuture second = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(null, started2), TrainOptions.none());
        long secondPid = ChildTrainers.startedPid(started2);
        assertThat(secondPid).isNotEqualTo(firstPid);
        assertThat(refilled).contains(secondPid);
        assertThat(second.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        awaitIdle(trainer, 2);
    }

    @Test
    void closingTheTrainerStopsTheIdleJvms() {
        LocalModelTrainer trainer = pool(2);
        List<Long> idle = awaitIdle(trainer, 2);
        assertThat(idle).allMatch(ChildTrainers::alive);

        trainer.close();
        idle.forEach(ChildTrainers::awaitGone);
        assertThat(trainers.runner(trainer).idleWorkers()).isEmpty();
    }

    @Test
    void anIdleJvmThatDiesIsReplaced() {
        LocalModelTrainer trainer = pool(1);
        long idle = awaitIdle(trainer, 1).get(0);

        ProcessHandle.of(idle).orElseThrow().destroyForcibly();
        ChildTrainers.awaitGone(idle);
        await().atMost(WAIT).until(() -> {
            List<Long> now = trainers.runner(trainer).idleWorkers();
            return now.size() == 1 && !now.contains(idle);
        });
    }

    @Test
    void whatAWorkerLeftInItsWarmUpDirectoryIsRemovedWhenItDies() throws Exception {
        LocalModelTrainer trainer = pool(1);
        long idle = awaitIdle(trainer, 1).get(0);
        Path own = tmp.resolve("work/.warm-up/" + idle);
        Files.createDirectories(own.resolve("model"));
        Files.writeString(own.resolve("model/half-written.bin"), "as if killed in the middle of a save");

        ProcessHandle.of(idle).orElseThrow().destroyForcibly();
        ChildTrainers.awaitGone(idle);
        await().atMost(WAIT).until(() -> !Files.exists(own));
    }

    @Test
    void afterTheTrainerClosesNoWarmUpFilesAreLeft() throws Exception {
        LocalModelTrainer trainer = pool(2);
        List<Long> idle = awaitIdle(trainer, 2);
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);

        trainer.close();
        idle.forEach(ChildTrainers::awaitGone);
        Path warmUp = tmp.resolve("work/.warm-up");
        await().atMost(WAIT).until(() -> {
            try (var left = Files.list(warmUp)) {
                return left.findAny().isEmpty();
            }
        });
    }

    @Test
    void anIdleWorkerHasTheJobWhenTrainReturns() throws Exception {
        LocalModelTrainer trainer = pool(1);
        long idle = awaitIdle(trainer, 1).get(0);
        ChildJvmRunner runner = trainers.runner(trainer);
        Path gate = tmp.resolve("gate");
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(gate, null), TrainOptions.none());

        assertThat(runner.workerPid(future.id()))
                .as("the spec went to the idle worker on the caller's thread")
                .isEqualTo(idle);
        assertThat(runner.idleWorkers()).doesNotContain(idle);
        assertThat(runner.jobDirectory(future.id()).resolve("spec.json"))
                .content()
                .contains(future.id());

        Files.writeString(gate, "go");
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aJobSubmittedByAnInterruptedThreadKeepsItsFiles() throws Exception {
        LocalModelTrainer trainer = pool(1);
        awaitIdle(trainer, 1);
        ChildJvmRunner runner = trainers.runner(trainer);
        ModelFuture future;
        Thread.currentThread().interrupt();
        try {
            future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        } finally {
            Thread.interrupted();
        }

        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        Path dir = runner.jobDirectory(future.id());
        assertThat(dir.resolve("spec.json")).content().contains(future.id());
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(dir.resolve("events.jsonl")).content().contains("\"completed\""));
    }

    @Test
    void withAnEmptyPoolEachJobStartsItsOwnJvm() throws Exception {
        LocalModelTrainer trainer = pool(0);
        assertThat(trainers.runner(trainer).idleWorkers()).isEmpty();
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(trainers.runner(trainer).idleWorkers()).isEmpty();
    }

    @Test
    void byDefaultTheReplacementStartsWhenTheJobHasEnded() throws Exception {
        LocalModelTrainer trainer = pool(1, "after_job");
        long idle = awaitIdle(trainer, 1).get(0);
        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(gate, started), TrainOptions.none());
        assertThat(ChildTrainers.startedPid(started)).isEqualTo(idle);
        assertThat(trainers.runner(trainer).heldWorkers())
                .as("no replacement starts beside the running job")
                .isZero();

        Files.writeString(gate, "go");
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        ChildTrainers.awaitGone(idle);
        assertThat(awaitIdle(trainer, 1)).doesNotContain(idle);
    }

    @Test
    void refillingAtOnceStartsTheReplacementAsTheWorkerIsTaken() throws Exception {
        LocalModelTrainer trainer = pool(1, "at_once");
        long idle = awaitIdle(trainer, 1).get(0);
        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(gate, started), TrainOptions.none());
        assertThat(ChildTrainers.startedPid(started)).isEqualTo(idle);
        assertThat(trainers.runner(trainer).heldWorkers()).isEqualTo(1);
        assertThat(awaitIdle(trainer, 1)).doesNotContain(idle);

        Files.writeString(gate, "go");
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
    }
}
