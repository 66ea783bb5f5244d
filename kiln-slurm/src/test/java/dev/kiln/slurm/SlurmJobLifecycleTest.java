package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to Slurm, on a real Slurm: rejected submissions, re-attachment, exits, logs, cancel. */
class SlurmJobLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<SlurmModelTrainer> made = new ArrayList<>();

    @BeforeEach
    void slurmIsRunning() {
        SlurmCluster.assumeRunning();
    }

    @AfterEach
    void closeTrainers() {
        SlurmCluster.drain(made.stream().filter(t -> !closed.contains(t)).toList());
        made.forEach(SlurmModelTrainer::close);
    }

    private final List<SlurmModelTrainer> closed = new ArrayList<>();

    private SlurmModelTrainer trainer(Map<String, Object> config) {
        SlurmModelTrainer t = SlurmCluster.trainer(tmp.resolve("work"), config, Clock.systemUTC());
        made.add(t);
        return t;
    }

    private void closeEarly(SlurmModelTrainer t) {
        t.close();
        closed.add(t);
    }

    private static SampleModule.Params params() {
        return SampleModule.Params.defaults();
    }

    private static JobInfo done(ModelFuture f) throws InterruptedException {
        JobInfo info = f.await(WAIT);
        assertThat(info.status().isTerminal())
                .as("training %s finished within %s", f.id(), WAIT)
                .isTrue();
        return info;
    }

    @Test
    void aSubmissionSlurmRejectsNamesSbatchAndItsOutputAndLeavesNothingBehind() {
        SlurmModelTrainer trainer = trainer(Map.of("partition", "no-such-partition"));

        assertThatThrownBy(() -> trainer.train(
                        new SampleModule(), params(), TrainOptions.none().withExternalTrainingId("rejected")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageStartingWith("Slurm command 'sbatch --parsable --job-name=kiln-rejected ")
                .hasMessageContaining("--partition=no-such-partition")
                .hasMessageContaining(
                        "failed with exit code 1: sbatch: error: invalid partition specified:" + " no-such-partition");

        assertThat(tmp.resolve("work").resolve("rejected")).doesNotExist();
        assertThat(trainer.list()).isEmpty();
        assertThat(trainer.find("rejected")).isEmpty();
    }

    @Test
    void aMissingSbatchIsNamedInTheError() {
        SlurmModelTrainer trainer = trainer(Map.of("sbatch", "/opt/no-slurm-here/sbatch"));

        assertThatThrownBy(() -> trainer.train(new SampleModule(), params(), TrainOptions.none()))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageStartingWith("Slurm command '/opt/no-slurm-here/sbatch --parsable ")
                .hasMessageContaining("could not be run: Cannot run program \"/opt/no-slurm-here/sbatch\"");
        assertThat(trainer.list()).isEmpty();
        try (var dirs = Files.list(tmp.resolve("work"))) {
            assertThat(dirs).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aNewTrainerOnTheSameWorkDirectoryReattachesToRunningAndFinishedJobs() throws Exception {
        SlurmModelTrainer first = trainer(Map.of());
        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        ModelFuture finished = first.train(
                new SampleModule(), params().withBatchSize(3), TrainOptions.saveTo(tmp.resolve("finished-model")));
        ModelFuture failed = first.train(
                new SampleModule(), params().withBatchSize(SampleModule.POISON_PILL_BATCH_SIZE), TrainOptions.none());
        ModelFuture running = first.train(
                new SampleModule(),
                params().withGate(gate, started).withSteps(2),
                TrainOptions.saveTo(tmp.resolve("running-model")).withExternalTrainingId("long-one"));
        JobInfo finishedInfo = done(finished);
        JobInfo failedInfo = done(failed);
        await().atMost(WAIT).until(() -> Files.exists(started) && running.info().status() == JobStatus.RUNNING);
        closeEarly(first);

        SlurmModelTrainer second = trainer(Map.of());

        assertThat(second.list())
                .extracting(ModelFuture::id)
                .containsExactlyInAnyOrder(finished.id(), failed.id(), "long-one");
        assertThat(second.getModelFuture(finished.id()).info()).isEqualTo(finishedInfo);
        assertThat(second.getModelFuture(failed.id()).info()).isEqualTo(failedInfo);
        assertThat(second.getModelFuture(failed.id()).info().errors().get(0).message())
                .isEqualTo("Batch size of 999 is not allowed!");
        assertThat(((SampleModel) second.getModelFuture(finished.id()).load()).batchSize())
                .isEqualTo(3);

        ModelFuture reattached = second.getModelFuture("long-one");
        assertThat(reattached.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(reattached.savePath()).contains(tmp.resolve("running-model"));
        assertThat(((SlurmTrainingJob) reattached).slurmJobId()).isEqualTo(((SlurmTrainingJob) running).slurmJobId());
        assertThatThrownBy(() -> second.train(
                        new SampleModule(), params(), TrainOptions.none().withExternalTrainingId("long-one")))
                .hasMessage("Cannot restart training long-one that is currently running");

        Files.writeString(gate, "go");
        assertThat(done(reattached).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(reattached.info().progress().step()).isEqualTo(2);
        assertThat(((SampleModel) reattached.load()).batchSize()).isEqualTo(64);
    }

    @Test
    void aJobThatEndedWhileNoTrainerWatchedIsReadOnReattachment() throws Exception {
        SlurmModelTrainer first = trainer(Map.of());
        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        SlurmTrainingJob job = (SlurmTrainingJob) first.train(
                new SampleModule(), params().withGate(gate, started), TrainOptions.saveTo(tmp.resolve("model")));
        await().atMost(WAIT).until(() -> Files.exists(started));
        closeEarly(first);
        Files.writeString(gate, "go");
        await().atMost(WAIT).until(() -> slurmState(job.slurmJobId()).state().isFinished());

        SlurmModelTrainer second = trainer(Map.of());
        ModelFuture reattached = second.getModelFuture(job.id());

        assertThat(done(reattached).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(reattached.load()).isInstanceOf(SampleModel.class);
        await().atMost(WAIT).until(() -> second.tracked().isEmpty());
        SlurmJobRecord record = SlurmJobRecord.read(job.directory().record());
        assertThat(record.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(record.slurmState()).isEqualTo("COMPLETED");
        assertThat(record.exitCode()).isEqualTo("0:0");
    }

    @Test
    void aWorkerThatExitsWithoutAResultErrorsWithSlurmsStateAndExitCode() throws Exception {
        ModelFuture future = trainer(Map.of()).train(new SampleModule(), params().withExitCode(3), TrainOptions.none());

        JobInfo info = done(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        JobError error = info.errors().get(0);
        assertThat(error.kind()).isEqualTo(JobError.Kind.SCHEDULER);
        assertThat(error.message())
                .isEqualTo("Slurm job " + ((SlurmTrainingJob) future).slurmJobId() + " of training " + future.id()
                        + " ended FAILED with exit code 3:0 (reason: NonZeroExitCode)");
    }

    @Test
    void aCleanExitWithoutTheWorkersResultIsNotACompletion() throws Exception {
        ModelFuture future = trainer(Map.of())
                .train(new SampleModule(), params().withExitCode(0), TrainOptions.saveTo(tmp.resolve("model")));

        JobInfo info = done(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors().get(0).kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(info.errors().get(0).message())
                .endsWith(" ended COMPLETED with exit code 0:0, but the worker reported no result");
    }

    @Test
    void aNodeWithoutTheConfiguredJavaFailsTheJobAndShowsWhyInTheLogs() throws Exception {
        ModelFuture future = trainer(Map.of("java", "/opt/no-java-here/bin/java"))
                .train(new SampleModule(), params(), TrainOptions.none());

        JobInfo info = done(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors().get(0).message()).contains("ended FAILED with exit code 127:0");
        assertThat(future.logs()).contains("/opt/no-java-here/bin/java");
        assertThat(info.errors().get(0).stackText()).contains("/opt/no-java-here/bin/java");
    }

    @Test
    void aWorkerThatRunsOutOfHeapIsAnOutOfMemoryError() throws Exception {
        ModelFuture future = trainer(Map.of("jvm_options", List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError")))
                .train(new SampleModule(), params().withAllocateMb(256), TrainOptions.none());

        JobInfo info = done(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors().get(0).kind()).isEqualTo(JobError.Kind.OUT_OF_MEMORY);
        assertThat(info.errors().get(0).message())
                .contains("ended FAILED with exit code 3:0")
                .endsWith("the worker ran out of Java heap");
        assertThat(future.logs()).contains("Terminating due to java.lang.OutOfMemoryError");
    }

    @Test
    void cancelIsSentToSlurmAndItsFinalStateIsReadBack() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of());
        Path started = tmp.resolve("started");
        SlurmTrainingJob job = (SlurmTrainingJob) trainer.train(
                new SampleModule(), params().withSleep(3600, 0.05).withGate(null, started), TrainOptions.none());
        await().atMost(WAIT).until(() -> Files.exists(started));

        job.cancel();

        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        await().atMost(WAIT).until(() -> !job.isTracking());
        assertThat(slurmState(job.slurmJobId()).stateText()).isEqualTo("CANCELLED");
        assertThat(job.record().slurmState()).isEqualTo("CANCELLED");
        assertThat(SlurmJobRecord.read(job.directory().record()).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aModelTrainedWithoutASavePathCanStillBeLoaded() throws Exception {
        ModelFuture future =
                trainer(Map.of()).train(new SampleModule(), params().withBatchSize(11), TrainOptions.none());

        assertThat(done(future).status()).isEqualTo(JobStatus.COMPLETED);

        assertThat(future.savePath()).isEmpty();
        assertThat(((SampleModel) future.load()).batchSize()).isEqualTo(11);
    }

    @Test
    void theJobGetsTheConfiguredResources() throws Exception {
        SlurmTrainingJob job = (SlurmTrainingJob) trainer(Map.of(
                        "cpus_per_task",
                        2,
                        "mem",
                        "1M",
                        "time_limit",
                        "2h",
                        "sbatch_args",
                        List.of("--comment=kiln-test")))
                .train(new SampleModule(), params(), TrainOptions.none());
        done(job);

        assertThat(job.record().sbatchArguments())
                .contains("--cpus-per-task=2", "--mem=1M", "--time=0-02:00:00", "--comment=kiln-test");
        String details = scontrolLine(job.slurmJobId());
        assertThat(details).contains("NumCPUs=2", "TimeLimit=02:00:00", "MinMemoryNode=1M", "Comment=kiln-test");
    }

    private static SlurmJobStatus slurmState(String jobId) {
        return SlurmCluster.commands().showJobs(List.of(jobId)).get(jobId);
    }

    private static String scontrolLine(String jobId) throws Exception {
        Process p = new ProcessBuilder("scontrol", "-o", "show", "job", jobId).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
