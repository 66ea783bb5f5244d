package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.Settings;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.testing.FakeClock;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trainer's logic against a stand-in for Slurm's tools: what it submits, how it maps Slurm's states and the
 * worker's events, how it polls, cancels, purges and re-attaches. Polls are driven by hand.
 */
class SlurmTrainerTest {
    @TempDir
    Path tmp;

    private final FakeSlurm slurm = new FakeSlurm();
    private final FakeClock clock = new FakeClock();
    private final List<SlurmModelTrainer> trainers = new ArrayList<>();

    @AfterEach
    void close() {
        trainers.forEach(SlurmModelTrainer::close);
    }

    private SlurmModelTrainer trainer(Map<String, Object> config) {
        Map<String, Object> all = new HashMap<>();
        all.put("work_dir", tmp.resolve("work").toString());
        all.put("poll_interval", "1h");
        all.put("java", "/opt/jdk/bin/java");
        all.put("classpath", "/shared/kiln/lib/*");
        all.putAll(config);
        JsonNode json = KilnJson.data().valueToTree(all);
        SlurmModelTrainer t = SlurmModelTrainer.builder()
                .name("unit")
                .settings(SlurmTrainerSettings.from(new Settings("model_management.trainers.unit.config", json)))
                .clock(clock)
                .commandRunner(slurm)
                .build();
        trainers.add(t);
        return t;
    }

    private SlurmModelTrainer trainer() {
        return trainer(Map.of());
    }

    private static SampleModule.Params params() {
        return SampleModule.Params.defaults();
    }

    private static SlurmTrainingJob submit(SlurmModelTrainer trainer, TrainOptions options) {
        return (SlurmTrainingJob) trainer.train(new SampleModule(), params(), options);
    }

    private static void events(SlurmTrainingJob job, String... lines) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(
                job.directory().events(),
                text,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static String completed(Path savePath) {
        return WorkerEvents.write(new WorkerEvent.Completed(savePath, 1, 1, T0));
    }

    private static String started() {
        return WorkerEvents.write(new WorkerEvent.Started(7, T0));
    }

    private static String progress(long step, long total, Map<String, Double> metrics) {
        return WorkerEvents.write(new WorkerEvent.Progressed(new Progress(step, total, metrics, T0)));
    }

    private static String failed(JobError error) {
        return WorkerEvents.write(new WorkerEvent.Failed(error, T0));
    }

    private static String cancelled() {
        return WorkerEvents.write(new WorkerEvent.Cancelled(T0));
    }

    @Test
    void trainWritesTheSpecScriptAndRecordAndSubmitsOnce() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("partition", "gpu", "time_limit", "90m", "gres", "gpu:1"));
        Path save = tmp.resolve("model");

        SlurmTrainingJob job = (SlurmTrainingJob) trainer.train(
                new SampleModule(),
                params().withBatchSize(5),
                TrainOptions.saveTo(save).withExternalTrainingId("t-1"));

        assertThat(job.id()).isEqualTo("t-1");
        assertThat(job.slurmJobId()).isEqualTo("100");
        assertThat(job.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.info().submitted()).isEqualTo(clock.instant());
        SlurmJobDirectory dir = job.directory();
        assertThat(dir.path()).isEqualTo(tmp.resolve("work").resolve("t-1"));
        assertThat(slurm.callsOf("sbatch"))
                .containsExactly(List.of(
                        "sbatch",
                        "--parsable",
                        "--job-name=kiln-t-1",
                        "--output=" + dir.output(),
                        "--chdir=" + dir.path(),
                        "--requeue",
                        "--open-mode=append",
                        "--signal=B:USR1@60",
                        "--partition=gpu",
                        "--time=0-01:30:00",
                        "--gres=gpu:1",
                        dir.script().toString()));

        JsonNode spec = KilnJson.data().readTree(Files.readString(dir.spec()));
        assertThat(spec.get("protocol").asInt()).isEqualTo(1);
        assertThat(spec.get("training_id").asText()).isEqualTo("t-1");
        assertThat(spec.get("module_id").asText())
                .isEqualTo(new SampleModule().descriptor().id());
        assertThat(spec.get("parameters").get("batch_size").asInt()).isEqualTo(5);
        assertThat(spec.get("save_path").asText()).isEqualTo(save.toString());

        assertThat(Files.readString(dir.script()))
                .isEqualTo("#!/bin/sh\n"
                        + "# Kiln training t-1: runs the worker on the job spec in this directory.\n"
                        + "trap '' USR1\n"
                        + "exec '/opt/jdk/bin/java' '-XX:+ExitOnOutOfMemoryError' '-cp' '/shared/kiln/lib/*'"
                        + " 'dev.kiln.worker.WorkerMain' '--job-dir' '"
                        + dir.path() + "'\n");

        SlurmJobRecord record = SlurmJobRecord.read(dir.record());
        assertThat(record.slurmJobId()).isEqualTo("100");
        assertThat(record.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(record.savePath()).isEqualTo(save.toString());
        assertThat(record.options().externalTrainingId()).isEqualTo("t-1");
        assertThat(record.sbatchArguments()).contains("--partition=gpu", "--time=0-01:30:00");
    }

    @Test
    void aModelParameterTravelsAsBytesInTheSpec() throws Exception {
        SlurmTrainingJob job = (SlurmTrainingJob) trainer()
                .train(new SampleModule(), params().withBaseModel(new SampleModel(100, 0)), TrainOptions.none());

        JsonNode spec =
                KilnJson.data().readTree(Files.readString(job.directory().spec()));
        assertThat(spec.get("parameters").get("base_model").get("model_bytes").asText())
                .isNotBlank();
        assertThat(spec.get("save_path").asText())
                .isEqualTo(job.directory().model().toString());
    }

    @Test
    void statesFollowSlurmAndTheWorkersEvents() throws Exception {
        SlurmModelTrainer trainer = trainer();
        List<JobEvent.Kind> seen = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> seen.add(e.kind()));
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(tmp.resolve("m")));

        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.QUEUED);

        slurm.set("100", "RUNNING", "0:0", "None");
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.info().started()).isEqualTo(clock.instant());

        events(job, started(), progress(2, 4, Map.of("loss", 0.5)));
        trainer.pollNow();
        assertThat(job.info().progress().step()).isEqualTo(2);
        assertThat(job.info().progress().metrics()).containsEntry("loss", 0.5);

        events(job, completed(tmp.resolve("m")));
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.await(Duration.ZERO).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.isTracking()).as("followed until Slurm reports the end").isTrue();

        slurm.set("100", "COMPLETED", "0:0", "None");
        trainer.pollNow();
        assertThat(job.isTracking()).isFalse();
        assertThat(job.record().slurmState()).isEqualTo("COMPLETED");
        assertThat(job.record().exitCode()).isEqualTo("0:0");
        assertThat(SlurmJobRecord.read(job.directory().record()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(seen)
                .containsExactly(
                        JobEvent.Kind.SUBMITTED, JobEvent.Kind.STARTED, JobEvent.Kind.PROGRESS, JobEvent.Kind.FINISHED);
    }

    @Test
    void aJobThatWentFromPendingToCompletedBetweenPollsStillHasAStartTime() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        events(job, completed(null));
        slurm.set("100", "COMPLETED", "0:0", "None");

        trainer.pollNow();

        JobInfo info = job.info();
        assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(info.started()).isNotNull();
        assertThat(info.completed()).isNotNull();
    }

    @Test
    void loadingACompletedTrainingWhoseModelIsGoneIsNotFoundNamingThePath() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        events(job, completed(null));
        slurm.set("100", "COMPLETED", "0:0", "None");
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.COMPLETED);

        assertThatThrownBy(job::load)
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(job.id())
                .hasMessageContaining(job.directory().model().toString());
    }

    @Test
    void loadingAModelDeletedAfterTheTrainingCompletedIsNotFoundNamingTheTraining() throws Exception {
        SlurmModelTrainer trainer = trainer();
        Path save = tmp.resolve("saved");
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(save));
        ModelFormat.save(new SampleModel(1, 0), save, job.id());
        events(job, completed(save));
        slurm.set("100", "COMPLETED", "0:0", "None");
        trainer.pollNow();
        assertThat(job.load()).isInstanceOf(SampleModel.class);

        NoFollowPaths.deleteTree(save);

        assertThatThrownBy(job::load)
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("The model of training " + job.id() + " is gone: nothing is at its save path " + save
                        + " any more");
    }

    @Test
    void oneSqueueCallPollsEveryJobAndAsksForThoseOnly() {
        SlurmModelTrainer trainer = trainer();
        slurm.controller.put("7", new FakeSlurm.Job("7", "someone-elses", "/elsewhere/job.sh"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(trainer, TrainOptions.none()).slurmJobId());
        }

        trainer.pollNow();
        trainer.pollNow();

        List<String> expected = List.of(
                "squeue",
                "-h",
                "-t",
                "all",
                "-j",
                String.join(",", ids),
                "-O",
                "JobID:|,State:|,Reason:|,RestartCnt:|,exit_code");
        assertThat(slurm.callsOf("squeue")).containsExactly(expected, expected);
        assertThat(slurm.count("scontrol")).isZero();
        assertThat(slurm.count("sacct")).isZero();
    }

    @Test
    void noJobsToFollowMeansNoCallsToSlurm() {
        SlurmModelTrainer trainer = trainer();

        trainer.pollNow();

        assertThat(slurm.calls).isEmpty();
    }

    @Test
    void jobsTheControllerPurgedAreReadFromTheCompletionLogInOneCall() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob a = submit(trainer, TrainOptions.none());
        SlurmTrainingJob b = submit(trainer, TrainOptions.none());
        SlurmTrainingJob c = submit(trainer, TrainOptions.none());
        events(a, completed(null));
        slurm.set("100", "COMPLETED", "0:0", "None");
        slurm.set("101", "CANCELLED", "0:0", "None");
        slurm.set("102", "FAILED", "3:0", "NonZeroExitCode");
        slurm.purge("100");
        slurm.purge("101");
        slurm.purge("102");

        trainer.pollNow();
        trainer.pollNow();

        assertThat(slurm.callsOf("sacct").get(0))
                .containsExactly(
                        "sacct", "-c", "-j", "100,101,102", "-P", "-n", "-o", "JobID,State,ExitCode,Start,End");
        assertThat(a.info().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(b.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(c.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(c.info().errors().get(0).message())
                .isEqualTo("Slurm job 102 of training " + c.id() + " ended FAILED with exit code 3:0");
        assertThat(trainer.tracked()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "PREEMPTED", "DEADLINE"})
    void slurmEndingAJobWithoutTheWorkersWordIsAnErrorNamingTheStateAndExitCode(String state) throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("max_retries", 0));
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "RUNNING", "0:0", "None");
        trainer.pollNow();
        Files.writeString(job.directory().output(), "some output\nslurmstepd: error: *** JOB 100 ... ***\n");
        slurm.set("100", state, "0:9", "Why");

        trainer.pollNow();
        assertThat(job.info().status())
                .as("a second look before Slurm's word decides")
                .isEqualTo(JobStatus.RUNNING);
        trainer.pollNow();

        JobInfo info = job.info();
        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        JobError error = info.errors().get(0);
        assertThat(error.kind()).isEqualTo(JobError.Kind.SCHEDULER);
        assertThat(error.message())
                .isEqualTo("Slurm job 100 of training " + job.id() + " ended " + state
                        + " with exit code 0:9 (reason: Why)");
        assertThat(error.stackText()).contains("slurmstepd: error: *** JOB 100 ... ***");
        assertThatThrownBy(job::load).hasMessageContaining("ended " + state);
    }

    @Test
    void aJobSlurmRequeuesIsFollowedIntoItsNextRunAsANewAttempt() throws Exception {
        SlurmModelTrainer trainer = trainer();
        List<Long> steps = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS) {
                steps.add(e.info().progress().step());
            }
        });
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(tmp.resolve("m")));
        slurm.set("100", "RUNNING", "0:0", "None");
        events(job, started(), progress(2, 5, Map.of()));
        trainer.pollNow();
        assertThat(job.attempt()).isEqualTo(1);

        events(job, cancelled()); // the requeue's SIGTERM
        slurm.requeue("100");
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(SlurmJobRecord.read(job.directory().record()).attempt()).isEqualTo(2);

        slurm.set("100", "RUNNING", "0:0", "None");
        events(job, started(), progress(2, 5, Map.of()), progress(3, 5, Map.of()));
        trainer.pollNow();
        assertThat(job.info().progress().step()).isEqualTo(3);
        assertThat(steps)
                .as("epoch 2, repeated after an older checkpoint, is reported once")
                .containsExactly(2L, 3L);
        slurm.set("100", "FAILED", "1:0", "NonZeroExitCode");
        trainer.pollNow();
        assertThat(job.info().status())
                .as("the requeued run's end is confirmed again before Slurm's word decides")
                .isEqualTo(JobStatus.RUNNING);
        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(job.info().errors().get(0).message())
                .isEqualTo("Slurm job 100 of training " + job.id()
                        + " ended FAILED with exit code 1:0 (reason: NonZeroExitCode) on attempt 2");
        assertThat(slurm.count("sbatch")).as("Slurm's requeue needs no new job").isEqualTo(1);
    }

    @Test
    void aJobEndedByTheClusterIsSubmittedAgainUntilTheRetriesAreSpent() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("max_retries", 2));
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(tmp.resolve("m")));
        List<String> firstArguments = slurm.callsOf("sbatch").get(0);
        slurm.set("100", "RUNNING", "0:0", "None");
        events(job, started(), progress(1, 5, Map.of()));
        trainer.pollNow();

        slurm.set("100", "NODE_FAIL", "0:0", "None");
        trainer.pollNow();
        trainer.pollNow();
        assertThat(job.slurmJobId()).isEqualTo("101");
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(slurm.callsOf("sbatch")).containsExactly(firstArguments, firstArguments);
        assertThat(SlurmJobRecord.read(job.directory().record()).slurmJobId()).isEqualTo("101");

        slurm.set("101", "PREEMPTED", "0:15", "None");
        trainer.pollNow();
        trainer.pollNow();
        assertThat(job.slurmJobId()).isEqualTo("102");
        assertThat(job.attempt()).isEqualTo(3);

        slurm.set("102", "BOOT_FAIL", "0:0", "None");
        trainer.pollNow();
        trainer.pollNow();

        assertThat(slurm.count("sbatch")).isEqualTo(3);
        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(job.info().errors().get(0).message())
                .isEqualTo(
                        "Slurm job 102 of training " + job.id() + " ended BOOT_FAIL with exit code 0:0 on attempt 3");
        assertThat(trainer.tracked()).isEmpty();
    }

    @Test
    void aFailureOfTheTrainingItselfIsNotSubmittedAgain() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("max_retries", 2));
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "TIMEOUT", "0:15", "TimeLimit");
        trainer.pollNow();
        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(slurm.count("sbatch")).isEqualTo(1);
    }

    @Test
    void priorityBecomesNiceAndANegativeNiceOnlyWhenAllowed() {
        SlurmModelTrainer trainer = trainer();
        submit(trainer, TrainOptions.none().withPriority(-7));
        submit(trainer, TrainOptions.none().withPriority(7));
        submit(trainer, TrainOptions.none());
        submit(trainer(Map.of("negative_nice", true)), TrainOptions.none().withPriority(7));

        List<List<String>> calls = slurm.callsOf("sbatch");
        assertThat(calls.get(0)).contains("--nice=7");
        assertThat(calls.get(1)).as("clamped at 0: no --nice").noneMatch(a -> a.startsWith("--nice"));
        assertThat(calls.get(2)).noneMatch(a -> a.startsWith("--nice"));
        assertThat(calls.get(3)).contains("--nice=-7");
    }

    @Test
    void aWorkerOutOfHeapIsAnOutOfMemoryError() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        events(job, started());
        Files.writeString(job.directory().output(), "Terminating due to java.lang.OutOfMemoryError: Java heap space\n");
        slurm.set("100", "FAILED", "3:0", "NonZeroExitCode");

        trainer.pollNow();
        trainer.pollNow();

        JobError error = job.info().errors().get(0);
        assertThat(error.kind()).isEqualTo(JobError.Kind.OUT_OF_MEMORY);
        assertThat(error.type()).isEqualTo("java.lang.OutOfMemoryError");
        assertThat(error.message())
                .isEqualTo("Slurm job 100 of training " + job.id() + " ended FAILED with exit code"
                        + " 3:0 (reason: NonZeroExitCode): the worker ran out of Java heap");
    }

    @Test
    void cancelledInSlurmIsCanceled() {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "CANCELLED", "0:15", "None");

        trainer.pollNow();
        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(job.info().errors()).isEmpty();
    }

    @Test
    void completedInSlurmWithoutTheWorkersResultIsAnError() {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "COMPLETED", "0:0", "None");

        trainer.pollNow();
        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(job.info().errors().get(0).kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(job.info().errors().get(0).message())
                .isEqualTo("Slurm job 100 of training " + job.id()
                        + " ended COMPLETED with exit code 0:0, but the worker reported no result");
    }

    @Test
    void theWorkersOwnErrorWinsOverSlurmsState() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        events(
                job,
                started(),
                failed(new JobError(
                        JobError.Kind.EXCEPTION,
                        "java.lang.IllegalStateException",
                        "bad data",
                        "java.lang.IllegalStateException: bad data\n\tat X.train")));
        slurm.set("100", "FAILED", "1:0", "NonZeroExitCode");

        trainer.pollNow();

        JobError error = job.info().errors().get(0);
        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(error)
                .isEqualTo(new JobError(
                        JobError.Kind.EXCEPTION,
                        "java.lang.IllegalStateException",
                        "bad data",
                        "java.lang.IllegalStateException: bad data\n\tat X.train"));
    }

    @Test
    void aWorkerStoppedByTheTimeLimitIsAnErrorNotACancel() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        events(job, started(), cancelled());
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        slurm.set("100", "TIMEOUT", "143:0", "TimeLimit");

        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(job.info().errors().get(0).message())
                .contains("ended TIMEOUT with exit code 143:0 (reason: " + "TimeLimit)");
    }

    @Test
    void cancelIsCanceledAtOnceThenSentToSlurmAndFollowedToTheEnd() {
        SlurmModelTrainer trainer = trainer();
        List<JobEvent.Kind> seen = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> seen.add(e.kind()));
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "RUNNING", "0:0", "None");
        trainer.pollNow();

        job.cancel();

        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(job.info().completed()).isNotNull();
        assertThat(slurm.callsOf("scancel")).containsExactly(List.of("scancel", "100"));
        assertThat(seen).endsWith(JobEvent.Kind.FINISHED);
        assertThat(job.isTracking()).isTrue();

        trainer.pollNow();
        assertThat(job.isTracking()).isFalse();
        assertThat(job.record().slurmState()).isEqualTo("CANCELLED");
        job.cancel();
        assertThat(slurm.count("scancel")).isEqualTo(1);
    }

    @Test
    void aFailedScancelIsRetriedAtEachPollUntilItWorks() {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "RUNNING", "0:0", "None");
        slurm.scancelFails = true;

        job.cancel();
        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        trainer.pollNow();
        assertThat(slurm.count("scancel")).isEqualTo(2);

        slurm.scancelFails = false;
        trainer.pollNow();
        assertThat(slurm.count("scancel")).isEqualTo(3);
        trainer.pollNow();
        assertThat(slurm.count("scancel")).isEqualTo(3);
        assertThat(job.isTracking()).isFalse();
    }

    @Test
    void aModelSavedJustBeforeACancelIsRemovedOnceSlurmEndsTheJob() throws Exception {
        SlurmModelTrainer trainer = trainer();
        Path save = tmp.resolve("late");
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(save));
        slurm.set("100", "RUNNING", "0:0", "None");
        trainer.pollNow();
        job.cancel();
        ModelFormat.save(new SampleModel(1, 0), save, job.id());
        events(job, completed(save));

        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(save).doesNotExist();
    }

    @Test
    void aJobSlurmNoLongerKnowsIsLostAfterThreePolls() {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.forget("100");

        trainer.pollNow();
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.QUEUED);
        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(job.info().errors().get(0).message())
                .isEqualTo("Slurm job 100 of training " + job.id() + " is no longer known to squeue or sacct");
        assertThat(job.isTracking()).isFalse();
    }

    @Test
    void whileSlurmDoesNotAnswerTheEventsStillCountAndNoJobIsLost() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob done = submit(trainer, TrainOptions.none());
        SlurmTrainingJob waiting = submit(trainer, TrainOptions.none());
        slurm.controllerDown = true;
        events(done, completed(null));

        for (int i = 0; i < 5; i++) {
            trainer.pollNow();
        }

        assertThat(done.info().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(waiting.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.isTracking()).isTrue();
        slurm.controllerDown = false;
        slurm.set("101", "RUNNING", "0:0", "None");
        trainer.pollNow();
        assertThat(waiting.info().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aRejectedSubmissionLeavesNothingAndFreesTheId() {
        SlurmModelTrainer trainer = trainer();
        slurm.sbatchError = "sbatch: error: invalid partition specified: nope\n"
                + "sbatch: error: Batch job submission failed: Invalid partition name specified\n";
        TrainOptions options = TrainOptions.none().withExternalTrainingId("again");

        assertThatThrownBy(() -> trainer.train(new SampleModule(), params(), options))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageEndingWith("failed with exit code 1: sbatch: error: invalid partition specified: nope\n"
                        + "sbatch: error: Batch job submission failed: Invalid partition name specified");
        assertThat(tmp.resolve("work").resolve("again")).doesNotExist();
        assertThat(trainer.list()).isEmpty();

        slurm.sbatchError = null;
        assertThat(trainer.train(new SampleModule(), params(), options).id()).isEqualTo("again");
    }

    @Test
    void sbatchOutputWithoutAJobIdIsAnError() {
        SlurmModelTrainer trainer = trainer();
        slurm.sbatchOutput = "Submitted batch job 12\n";

        assertThatThrownBy(() -> trainer.train(new SampleModule(), params(), TrainOptions.none()))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("printed no job id: Submitted batch job 12");
        assertThat(tmp.resolve("work")).isEmptyDirectory();
    }

    @Test
    void aClusterNameAfterTheJobIdIsIgnored() {
        slurm.sbatchOutput = "4242;cluster-a\n";

        assertThat(submit(trainer(), TrainOptions.none()).slurmJobId()).isEqualTo("4242");
    }

    @Test
    void retentionPurgesTheJobWithItsDirectoryAndModel() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("retention_duration", "1h"));
        Path save = tmp.resolve("m");
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(save));
        ModelFormat.save(new SampleModel(1, 0), save, job.id());
        events(job, completed(save));
        trainer.pollNow();
        assertThat(job.info().status()).isEqualTo(JobStatus.COMPLETED);

        clock.advance(Duration.ofMinutes(59));
        assertThat(trainer.find(job.id())).isPresent();
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> trainer.getModelFuture(job.id()))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(job.directory().path()).doesNotExist();
        assertThat(save).doesNotExist();
    }

    @Test
    void aSavePathThatExistedBeforeIsKeptOnPurge() throws Exception {
        Path save = tmp.resolve("existing");
        Files.createDirectories(save);
        SlurmModelTrainer trainer = trainer(Map.of("retention_duration", "0s"));
        SlurmTrainingJob job = submit(trainer, TrainOptions.saveTo(save));
        events(job, completed(save));
        trainer.pollNow();

        assertThat(trainer.find(job.id())).isEmpty();
        assertThat(save).exists();
    }

    @Test
    void itsJobsOutliveTheProcessAndCloseLeavesThemToSlurm() {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "RUNNING", "0:0", "None");
        trainer.pollNow();

        trainer.close();

        assertThat(trainer.jobsOutliveProcess()).isTrue();
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(slurm.count("scancel")).isZero();
    }

    @Test
    void aNewTrainerReattachesToRecordedJobsAndKeepsFinishedOnesAsTheyWere() throws Exception {
        SlurmModelTrainer first = trainer();
        SlurmTrainingJob finished = submit(first, TrainOptions.none());
        SlurmTrainingJob running = submit(first, TrainOptions.none().withExternalTrainingId("still-running"));
        events(finished, completed(null));
        slurm.set("100", "COMPLETED", "0:0", "None");
        slurm.set("101", "RUNNING", "0:0", "None");
        events(running, progress(1, 9, Map.of()));
        first.pollNow();
        JobInfo finishedInfo = finished.info();
        first.close();

        clock.advance(Duration.ofMinutes(5));
        SlurmModelTrainer second = trainer();

        assertThat(second.list()).extracting(ModelFuture::id).containsExactlyInAnyOrder(finished.id(), "still-running");
        assertThat(second.getModelFuture(finished.id()).info()).isEqualTo(finishedInfo.withProgress(null));
        assertThat(second.tracked()).extracting(SlurmTrainingJob::id).containsExactly("still-running");
        SlurmTrainingJob reattached = (SlurmTrainingJob) second.getModelFuture("still-running");
        assertThat(reattached.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(reattached.slurmJobId()).isEqualTo("101");

        second.pollNow();
        assertThat(reattached.info().progress().step())
                .as("progress is read back from the event file")
                .isEqualTo(1);
        events(running, completed(null));
        second.pollNow();
        assertThat(reattached.info().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aRecordLeftWithoutASlurmJobIdIsMatchedToItsJobByNameAndScript() throws Exception {
        SlurmModelTrainer first = trainer();
        SlurmTrainingJob job = submit(first, TrainOptions.none().withExternalTrainingId("cut-short"));
        first.close();
        job.record().withSlurmJobId(null).writeTo(job.directory());

        SlurmModelTrainer second = trainer();

        SlurmTrainingJob reattached = (SlurmTrainingJob) second.getModelFuture("cut-short");
        assertThat(reattached.slurmJobId()).isEqualTo("100");
        assertThat(reattached.isTracking()).isTrue();
        assertThat(SlurmJobRecord.read(job.directory().record()).slurmJobId()).isEqualTo("100");
    }

    @Test
    void aRecordLeftWithoutASlurmJobIdAndNoJobInSlurmEndsInterrupted() throws Exception {
        SlurmModelTrainer first = trainer();
        SlurmTrainingJob job = submit(first, TrainOptions.none().withExternalTrainingId("never-submitted"));
        first.close();
        job.record().withSlurmJobId(null).writeTo(job.directory());
        slurm.forget("100");

        SlurmModelTrainer second = trainer();

        ModelFuture reattached = second.getModelFuture("never-submitted");
        assertThat(reattached.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(reattached.info().errors().get(0).kind()).isEqualTo(JobError.Kind.INTERRUPTED);
        assertThat(reattached.info().errors().get(0).message())
                .isEqualTo("Training never-submitted was being"
                        + " submitted to Slurm when its trainer stopped, and Slurm holds no job for it");
    }

    @Test
    void unreadableRecordsAreSkipped() throws Exception {
        Path broken = tmp.resolve("work").resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(SlurmJobDirectory.RECORD), "{not json");

        assertThat(trainer().list()).isEmpty();
        assertThat(broken.resolve(SlurmJobDirectory.RECORD)).exists();
    }

    @Test
    void anotherTrainersRunningJobWithTheSameIdIsAConflict() {
        SlurmModelTrainer other = trainer();
        SlurmModelTrainer mine = trainer();
        submit(other, TrainOptions.none().withExternalTrainingId("shared-id"));

        assertThatThrownBy(() -> submit(mine, TrainOptions.none().withExternalTrainingId("shared-id")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessage("Cannot restart training shared-id that is currently running");
        assertThat(slurm.count("sbatch")).isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameIdReplacesTheFinishedJobsDirectory() throws Exception {
        SlurmModelTrainer trainer = trainer();
        TrainOptions options = TrainOptions.none().withExternalTrainingId("retry");
        SlurmTrainingJob first = submit(trainer, options);
        events(first, failed(new JobError(JobError.Kind.EXCEPTION, "X", "m", "")));
        trainer.pollNow();
        assertThat(first.info().status()).isEqualTo(JobStatus.ERRORED);

        SlurmTrainingJob second = submit(trainer, options);

        assertThat(second.directory()).isEqualTo(first.directory());
        assertThat(second.directory().events()).doesNotExist();
        assertThat(SlurmJobRecord.read(second.directory().record()).slurmJobId())
                .isEqualTo("101");
        try (var entries = Files.list(tmp.resolve("work"))) {
            assertThat(entries).extracting(p -> p.getFileName().toString()).containsExactly("retry");
        }
        events(second, completed(null));
        trainer.pollNow();
        assertThat(second.info().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(first.info().status()).isEqualTo(JobStatus.ERRORED);
        assertThat(trainer.getModelFuture("retry")).isSameAs(second);
    }

    @Test
    void idsThatCannotNameADirectorySafelyAreRejected() {
        SlurmModelTrainer trainer = trainer();
        for (String bad : List.of("a/b", "..", ".hidden", "line\nbreak", " ")) {
            assertThatThrownBy(() -> submit(trainer, TrainOptions.none().withExternalTrainingId(bad)))
                    .isInstanceOfSatisfying(
                            KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("Invalid external_training_id");
        }
        assertThat(slurm.count("sbatch")).isZero();
    }

    @Test
    void oddCharactersInTheIdAreEscapedForSlurm() {
        SlurmTrainingJob job = submit(trainer(), TrainOptions.none().withExternalTrainingId("50% off, a b"));

        List<String> sbatch = slurm.callsOf("sbatch").get(0);
        assertThat(sbatch)
                .contains(
                        "--job-name=kiln-50__off__a_b",
                        "--output="
                                + tmp.resolve("work").resolve("50%% off, a b").resolve("slurm.out"));
        assertThat(job.directory().path()).isEqualTo(tmp.resolve("work").resolve("50% off, a b"));
    }

    @Test
    void closeLeavesTheJobsRunningAndRefusesNewOnes() {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());

        trainer.close();

        assertThat(slurm.count("scancel")).isZero();
        assertThat(job.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThatThrownBy(() -> submit(trainer, TrainOptions.none()))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
    }

    @Test
    void linesThatAreNotEventsAreSkipped() throws Exception {
        SlurmModelTrainer trainer = trainer();
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        events(job, "not json", "{\"no\":\"type\"}", "{\"type\":\"from-a-newer-worker\"}", completed(null));

        trainer.pollNow();

        assertThat(job.info().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void thePollerThreadFollowsJobsOnItsOwn() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("poll_interval", "0.02s"));
        SlurmTrainingJob job = submit(trainer, TrainOptions.none());
        slurm.set("100", "RUNNING", "0:0", "None");
        await().atMost(Duration.ofSeconds(30)).until(() -> job.info().status() == JobStatus.RUNNING);

        events(job, completed(null));
        slurm.set("100", "COMPLETED", "0:0", "None");

        assertThat(job.await(Duration.ofSeconds(30)).status()).isEqualTo(JobStatus.COMPLETED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !job.isTracking());
    }
}
