package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.data.DataStream;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.Resumption;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.TrainingFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every trainer must show, ported from caikit's local-trainer test suite. Each execution mode (thread,
 * spawn, forkserver, Slurm) runs it by extending this class and saying how to build its trainer.
 */
public abstract class TrainerBehaviourSuite {
    protected static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    protected Path tmp;

    private final List<ModelTrainer> trainers = new java.util.ArrayList<>();

    /**
     * A trainer for this mode with the given {@code config} keys (caikit's names, such as
     * {@code retention_duration}) on top of the mode's own.
     */
    protected abstract ModelTrainer newTrainer(Map<String, Object> config, Clock clock);

    protected final ModelTrainer trainer(Map<String, Object> config, Clock clock) {
        ModelTrainer t = newTrainer(config, clock);
        trainers.add(t);
        return t;
    }

    protected final ModelTrainer trainer(Map<String, Object> config) {
        return trainer(config, Clock.systemUTC());
    }

    protected final ModelTrainer trainer() {
        return trainer(Map.of());
    }

    @AfterEach
    void closeTrainers() {
        trainers.forEach(ModelTrainer::close);
    }

    protected static SampleModule.Params params() {
        return SampleModule.Params.defaults();
    }

    protected Path gate() {
        return tmp.resolve("gate-" + System.nanoTime());
    }

    protected static void open(Path gate) throws Exception {
        Files.writeString(gate, "go");
    }

    protected static JobInfo awaitDone(ModelFuture f) throws InterruptedException {
        JobInfo info = f.await(WAIT);
        assertThat(info.status().isTerminal())
                .as("training %s finished within %s", f.id(), WAIT)
                .isTrue();
        return info;
    }

    protected static void awaitStarted(Path startedFile) {
        await().atMost(WAIT).until(() -> Files.exists(startedFile));
    }

    @Test
    void aListenerThatThrowsIsLoggedAndTheTrainingAndTheOtherListenersCarryOn() throws Exception {
        ModelTrainer trainer = trainer();
        List<JobEvent.Kind> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        trainer.addListener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS) {
                throw new IllegalStateException("a listener that breaks on progress");
            }
        });
        trainer.addListener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS) {
                throw new AssertionError("a listener whose assertion fails on progress");
            }
        });
        trainer.addListener(e -> heard.add(e.kind()));

        ModelFuture future = trainer.train(new SampleModule(), params().withSteps(3), TrainOptions.none());

        assertThat(awaitDone(future).status()).isEqualTo(JobStatus.COMPLETED);
        await().atMost(WAIT).until(() -> heard.contains(JobEvent.Kind.FINISHED));
        assertThat(heard)
                .containsSubsequence(
                        JobEvent.Kind.SUBMITTED,
                        JobEvent.Kind.STARTED,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.FINISHED);
    }

    @Test
    void trainAndGetInfo() throws Exception {
        ModelTrainer trainer = trainer();
        Path gate = gate();
        ModelFuture future = trainer.train(
                new SampleModule(),
                params().withTrainingData(DataStream.of()).withGate(gate, null),
                TrainOptions.none());
        await().atMost(WAIT).until(() -> future.info().status() == JobStatus.RUNNING);
        assertThat(future.info().status().isTerminal()).isFalse();

        open(gate);
        awaitDone(future);
        assertThat(future.info().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(future.info().status().isTerminal()).isTrue();
        assertThat(trainer.getModelFuture(future.id())).isSameAs(future);
    }

    @Test
    void trainSaveAndLoad() throws Exception {
        Path savePath = tmp.resolve("model_save_dir");
        ModelFuture future =
                trainer().train(new SampleModule(), params().withBatchSize(7), TrainOptions.saveTo(savePath));
        awaitDone(future);

        Model manual = ModelFormat.load(savePath);
        assertThat(manual).isInstanceOf(SampleModel.class);
        assertThat(((SampleModel) manual).batchSize()).isEqualTo(7);
        Model viaFuture = future.load();
        assertThat(viaFuture).isInstanceOf(SampleModel.class);
        assertThat(((SampleModel) viaFuture).batchSize()).isEqualTo(7);
        assertThat(ModelFormat.read(savePath).string("tracking_id")).isEqualTo(future.id());
    }

    @Test
    void saveWithId() throws Exception {
        Path savePath = tmp.resolve("model_save_dir");
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params(),
                        TrainOptions.saveTo(savePath).withSaveWithId(true));
        awaitDone(future);
        Path actual = future.savePath().orElseThrow();
        assertThat(actual).isNotEqualTo(savePath);
        assertThat(actual.toString()).contains(future.id());
        assertThat(actual).exists();
    }

    @Test
    void saveWithIdAndModelName() throws Exception {
        Path savePath = tmp.resolve("model_save_dir");
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params(),
                        TrainOptions.saveTo(savePath).withSaveWithId(true).withModelName("abc"));
        awaitDone(future);
        Path actual = future.savePath().orElseThrow();
        assertThat(actual).isNotEqualTo(savePath);
        assertThat(actual.toString()).contains(future.id()).contains("abc");
        assertThat(actual).isEqualTo(savePath.resolve(future.id()).resolve("abc"));
        assertThat(actual).exists();
    }

    @Test
    void saveWithModelNameOnly() throws Exception {
        Path savePath = tmp.resolve("model_save_dir");
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params(),
                        TrainOptions.saveTo(savePath).withModelName("abc"));
        awaitDone(future);
        Path actual = future.savePath().orElseThrow();
        assertThat(actual).isNotEqualTo(savePath);
        assertThat(actual.toString()).doesNotContain(future.id()).contains("abc");
        assertThat(actual).exists();
    }

    @Test
    void cancelCleanTermination() throws Exception {
        Path started = tmp.resolve("started");
        Path savePath = tmp.resolve("never");
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params().withSleep(1000, 0.01).withGate(null, started),
                        TrainOptions.saveTo(savePath));
        awaitStarted(started);
        assertThat(future.info().status()).isEqualTo(JobStatus.RUNNING);

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(future.info().status().isTerminal()).isTrue();
        assertThat(future.info().completed()).isNotNull();
        awaitDone(future);
        assertThat(savePath).doesNotExist();
        assertThatThrownBy(future::load).isInstanceOf(KilnException.class).hasMessageContaining("cancelled");
    }

    @Test
    void cancelWithoutWaitingReportsCanceledBeforeTheWorkerStops() throws Exception {
        Path started = tmp.resolve("started");
        Path gate = gate();
        Path savePath = tmp.resolve("discarded");
        ModelFuture future = trainer(Map.of("cancel_grace_period", "60s"))
                .train(
                        new SampleModule(),
                        params().withIgnoreCancel(true).withGate(gate, started),
                        TrainOptions.saveTo(savePath));
        awaitStarted(started);

        future.cancel();
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(future.info().status().isTerminal()).isTrue();

        open(gate);
        awaitDone(future);
        assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(savePath).doesNotExist();
    }

    @Test
    void cancellingAFinishedJobChangesNothing() throws Exception {
        ModelFuture future = trainer().train(new SampleModule(), params(), TrainOptions.none());
        JobInfo done = awaitDone(future);
        future.cancel();
        assertThat(future.info()).isEqualTo(done);
        assertThat(future.info().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void noRetentionKeepsJobsForever() throws Exception {
        FakeClock clock = new FakeClock();
        Map<String, Object> config = new HashMap<>();
        config.put("retention_duration", null);
        ModelTrainer trainer = trainer(config, clock);
        ModelFuture future = trainer.train(new SampleModule(), params(), TrainOptions.none());
        awaitDone(future);
        clock.advance(Duration.ofDays(3650));
        assertThat(trainer.getModelFuture(future.id())).isSameAs(future);
    }

    @Test
    void purgeAfterRetention() throws Exception {
        FakeClock clock = new FakeClock();
        ModelTrainer trainer = trainer(Map.of("retention_duration", "1d10s"), clock);
        ModelFuture future = trainer.train(new SampleModule(), params(), TrainOptions.none());
        awaitDone(future);
        assertThat(trainer.getModelFuture(future.id())).isSameAs(future);

        clock.advance(Duration.ofDays(1));
        assertThat(trainer.getModelFuture(future.id())).isSameAs(future);
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> trainer.getModelFuture(future.id()))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(future.id());
    }

    @Test
    void zeroRetentionPurgesAndDeletesTheResult() throws Exception {
        Path savePath = tmp.resolve("short-lived");
        ModelTrainer trainer = trainer(Map.of("retention_duration", "0s"));
        ModelFuture future = trainer.train(new SampleModule(), params(), TrainOptions.saveTo(savePath));
        awaitDone(future);
        assertThat(future.info().status()).isEqualTo(JobStatus.COMPLETED);

        assertThat(trainer.find(future.id())).isEmpty();
        assertThat(savePath).doesNotExist();
    }

    @Test
    void whatTheModuleLogsReachesTheTrainingsLogOnce() throws Exception {
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params().withTrainingData(DataStream.of(new SampleRecord(1, "a"), new SampleRecord(2, "b"))),
                        TrainOptions.none());
        assertThat(awaitDone(future).status()).isEqualTo(JobStatus.COMPLETED);
        String line = "SampleModule trained on 2 records with batch size 64";
        await().atMost(WAIT).untilAsserted(() -> assertThat(future.logs()).contains(line));
        String logs = future.logs();
        assertThat(logs.indexOf(line)).as("the line is in the log once").isEqualTo(logs.lastIndexOf(line));
    }

    @Test
    void failedTrainingReportsTheModulesError() throws Exception {
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params().withBatchSize(SampleModule.POISON_PILL_BATCH_SIZE),
                        TrainOptions.none());
        JobInfo info = awaitDone(future);
        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.completed()).isNotNull();
        assertThat(info.errors()).hasSize(1);
        JobError error = info.errors().get(0);
        assertThat(error.type()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(error.message()).isEqualTo("Batch size of 999 is not allowed!");
        assertThat(error.stackText()).contains("SampleModule.train");
        assertThatThrownBy(future::load)
                .isInstanceOf(TrainingFailedException.class)
                .hasMessageContaining("Batch size of 999 is not allowed!");
    }

    @Test
    void retryWithTheSameExternalIdAfterAFailure() throws Exception {
        ModelTrainer trainer = trainer();
        TrainOptions options = TrainOptions.none().withExternalTrainingId("retry-me");
        ModelFuture first =
                trainer.train(new SampleModule(), params().withBatchSize(SampleModule.POISON_PILL_BATCH_SIZE), options);
        assertThat(awaitDone(first).status()).isEqualTo(JobStatus.ERRORED);

        ModelFuture second = trainer.train(new SampleModule(), params(), options);
        assertThat(second.id()).isEqualTo("retry-me");
        assertThat(awaitDone(second).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(trainer.getModelFuture("retry-me")).isSameAs(second);
    }

    @Test
    void noRestartOfARunningExternalId() throws Exception {
        ModelTrainer trainer = trainer();
        Path gate = gate();
        TrainOptions options = TrainOptions.none().withExternalTrainingId("busy");
        ModelFuture running = trainer.train(new SampleModule(), params().withGate(gate, null), options);

        assertThatThrownBy(() -> trainer.train(new SampleModule(), params(), options))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessage("Cannot restart training busy that is currently running");
        assertThat(trainer.getModelFuture("busy")).isSameAs(running);
        open(gate);
        assertThat(awaitDone(running).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void checkpointsAreKeptWhileTheTrainingRunsAndDeletedWhenItEnds() throws Exception {
        Path gate = gate();
        Path attempts = tmp.resolve("attempts-" + System.nanoTime());
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params().withCheckpoints(3, attempts).withGate(gate, null),
                        TrainOptions.none());
        await().atMost(WAIT)
                .until(() -> future.info().progress() != null
                        && future.info().progress().step() == 3);
        assertThat(future.checkpointBytes()).isPositive();

        open(gate);
        assertThat(awaitDone(future).status()).isEqualTo(JobStatus.COMPLETED);
        await().atMost(WAIT).until(() -> future.checkpointBytes() == 0);
        assertThat(Files.readAllLines(attempts))
                .as("the steps each attempt resumed from")
                .containsExactly("0");
    }

    @Test
    void aResumedTrainingKeepsItsIdSubmissionAndProgressAndContinuesFromItsCheckpoint() throws Exception {
        Map<String, Object> keep = Map.of("keep_checkpoints", true);
        ModelTrainer first = trainer(keep);
        if (!first.resumesInterrupted()) {
            assertThatThrownBy(() -> first.resume(
                            new SampleModule(),
                            params(),
                            TrainOptions.none(),
                            new Resumption("never-ran", java.time.Instant.now(), null, false)))
                    .isInstanceOf(KilnException.class)
                    .extracting(e -> ((KilnException) e).code())
                    .isEqualTo(ErrorCode.FAILED_PRECONDITION);
            return;
        }
        Path attempts = tmp.resolve("attempts-" + System.nanoTime());
        ModelFuture interrupted = first.train(
                new SampleModule(), params().withCheckpoints(3, attempts).withGate(gate(), null), TrainOptions.none());
        await().atMost(WAIT)
                .until(() -> interrupted.info().progress() != null
                        && interrupted.info().progress().step() == 3);
        Progress reached = interrupted.info().progress();
        interrupted.cancel();
        awaitDone(interrupted);

        ModelTrainer second = trainer(keep);
        List<Long> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        second.addListener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS) {
                reported.add(e.info().progress().step());
            }
        });
        ModelFuture resumed = second.resume(
                new SampleModule(),
                params().withCheckpoints(5, attempts),
                TrainOptions.none(),
                new Resumption(interrupted.id(), interrupted.info().submitted(), reached, false));

        assertThat(resumed.id()).isEqualTo(interrupted.id());
        assertThat(resumed.info().submitted()).isEqualTo(interrupted.info().submitted());
        assertThat(awaitDone(resumed).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(Files.readAllLines(attempts))
                .as("the steps each attempt resumed from")
                .containsExactly("0", "3");
        assertThat(reported)
                .as("progress continues after step 3, none replayed")
                .containsExactly(4L, 5L);
        assertThat(resumed.info().progress().step()).isEqualTo(5);
    }

    @Test
    void resumeInterruptedIsASettingOfTheTrainer() {
        assertThat(trainer(Map.of("resume_interrupted", false)).resumesInterrupted())
                .isFalse();
    }

    @Test
    void progressShowsUpInTheJobInfo() throws Exception {
        ModelFuture future = trainer().train(new SampleModule(), params().withSteps(3), TrainOptions.none());
        awaitDone(future);
        await().atMost(WAIT).until(() -> future.info().progress() != null);
        assertThat(future.info().progress().step()).isEqualTo(3);
        assertThat(future.info().progress().total()).isEqualTo(3);
        assertThat(future.info().progress().metrics()).containsEntry("loss", 1.0 / 3);
    }

    @Test
    void dataStreamsReachTheTraining() throws Exception {
        Path savePath = tmp.resolve("with-data");
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params().withTrainingData(DataStream.of(
                                new SampleRecord(1, "a"), new SampleRecord(2, "b"), new SampleRecord(3, "c"))),
                        TrainOptions.saveTo(savePath));
        awaitDone(future);
        assertThat(((SampleModel) future.load()).recordsSeen()).isEqualTo(3);
    }

    @Test
    void aModelCanBeATrainingParameter() throws Exception {
        ModelFuture future = trainer()
                .train(
                        new SampleModule(),
                        params().withBatchSize(5).withBaseModel(new SampleModel(100, 0)),
                        TrainOptions.saveTo(tmp.resolve("continued")));
        awaitDone(future);
        assertThat(future.info().errors()).isEmpty();
        assertThat(((SampleModel) future.load()).batchSize()).isEqualTo(105);
    }

    @Test
    void timesAreRecorded() throws Exception {
        ModelFuture future = trainer().train(new SampleModule(), params(), TrainOptions.none());
        JobInfo info = awaitDone(future);
        assertThat(info.submitted()).isNotNull();
        assertThat(info.started()).isNotNull();
        assertThat(info.completed()).isNotNull();
        assertThat(info.completed()).isAfterOrEqualTo(info.submitted());
    }
}
