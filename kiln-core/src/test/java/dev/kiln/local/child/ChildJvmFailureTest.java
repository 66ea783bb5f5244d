package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a child JVM can end without a result becomes an ERRORED job with a reason, and no process remains. */
class ChildJvmFailureTest {
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

    private static JobError errorOf(ModelFuture future) throws InterruptedException {
        JobInfo info = future.await(WAIT);
        assertThat(info.status()).as("status of %s", future.id()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors()).hasSize(1);
        return info.errors().get(0);
    }

    private ModelFuture trainWithFakeWorker(String mode, Duration silence) {
        LocalModelTrainer trainer = trainers()
                .trainer(
                        Map.of("environment", Map.of(FakeWorkerMain.MODE, mode)),
                        o -> o.withMainClass(FakeWorkerMain.class.getName()).withSilenceTimeout(silence));
        return trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
    }

    @Test
    void runningOutOfHeapIsAnOutOfMemoryErrorThatNamesTheLimit() throws Exception {
        LocalModelTrainer trainer = trainers().trainer(Map.of("jvm_options", List.of("-Xmx32m")));
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withAllocateMb(512), TrainOptions.none());
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.OUT_OF_MEMORY);
        assertThat(error.message()).contains("ran out of memory").contains("-Xmx32m");
        assertThat(future.logs()).contains("OutOfMemoryError");
    }

    @Test
    void systemExitInsideTrainingIsAProcessDeathWithItsCode() throws Exception {
        ModelFuture future = trainers()
                .trainer(Map.of())
                .train(new SampleModule(), SampleModule.Params.defaults().withExitCode(7), TrainOptions.none());
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(error.message()).isEqualTo("Training process died with exit code 7");
    }

    @Test
    void haltInsideTrainingIsAProcessDeathWithItsCode() throws Exception {
        ModelFuture future = trainers()
                .trainer(Map.of())
                .train(new SampleModule(), SampleModule.Params.defaults().withHalt(true), TrainOptions.none());
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(error.message()).isEqualTo("Training process died with exit code 3");
    }

    @Test
    void aChildKilledWithSigkillIsReportedAsKilledBySignalNineNotAsOutOfMemory() throws Exception {
        Path gate = tmp.resolve("gate");
        Path started = tmp.resolve("started");
        ModelFuture future = trainers()
                .trainer(Map.of("jvm_options", List.of("-Xmx64m")))
                .train(new SampleModule(), SampleModule.Params.defaults().withGate(gate, started), TrainOptions.none());
        long pid = ChildTrainers.startedPid(started);

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(error.type()).isEqualTo("SIGKILL");
        assertThat(error.message())
                .startsWith("Training process was killed by signal 9 "
                        + "(SIGKILL; the kernel's OOM killer is one possible cause)")
                .contains("-Xmx64m");
    }

    @Test
    void aCorruptMessageEndsTheJobAndTheProcess() throws Exception {
        ModelFuture future = trainWithFakeWorker("corrupt", ChildJvmOptions.SILENCE_TIMEOUT);
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROTOCOL);
        assertThat(error.message()).contains("broke the worker protocol").contains("a corrupt message");
        assertProcessGone(error);
    }

    @Test
    void anUnexpectedMessageEndsTheJobAndTheProcess() throws Exception {
        ModelFuture future = trainWithFakeWorker("completed-before-started", ChildJvmOptions.SILENCE_TIMEOUT);
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROTOCOL);
        assertThat(error.message()).contains("a 'completed' message before 'started'");
        assertProcessGone(error);
    }

    @Test
    void aWorkerOfAnotherProtocolVersionIsRefused() throws Exception {
        ModelFuture future = trainWithFakeWorker("other-protocol", ChildJvmOptions.SILENCE_TIMEOUT);
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROTOCOL);
        assertThat(error.message()).contains("protocol version 99").contains("version 1");
        assertProcessGone(error);
    }

    @Test
    void aSilentWorkerIsKilledAndTheJobDoesNotHang() throws Exception {
        ModelFuture future = trainWithFakeWorker("silent", Duration.ofHours(1));
        // the watchdog is the only timer of this training: once it is there, the worker has its job
        await().atMost(WAIT).until(() -> trainers().time.pending() == 1);

        trainers().time.advance(Duration.ofMinutes(59));
        assertThat(future.info().status())
                .as("silent for less than the timeout")
                .isEqualTo(JobStatus.RUNNING);

        trainers().time.advance(Duration.ofMinutes(2));
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROTOCOL);
        assertThat(error.message()).contains("went silent");
        assertProcessGone(error);
    }

    @Test
    void aWorkerThatDiesAtOnceIsReportedWithItsOutput() throws Exception {
        ModelFuture future = trainWithFakeWorker("no-such-mode", ChildJvmOptions.SILENCE_TIMEOUT);
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(error.message()).isEqualTo("Training process died with exit code 5");
        assertThat(error.stackText()).contains("unknown fake worker mode 'no-such-mode'");
    }

    @Test
    void aBadJvmOptionIsReportedWithTheJvmsOwnWords() throws Exception {
        ModelFuture future = trainers()
                .trainer(Map.of("jvm_options", List.of("-XX:+NoSuchKilnOption")))
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
        assertThat(error.type()).isEqualTo(JobError.JVM_REFUSED_OPTIONS);
        assertThat(error.message())
                .startsWith("Training process died with exit code 1: its JVM did not start with the options [")
                .contains("-XX:+NoSuchKilnOption]")
                .endsWith("jvm_options): Unrecognized VM option 'NoSuchKilnOption'");
        assertThat(error.stackText()).contains("NoSuchKilnOption");
    }

    @Test
    void aTrainingThatPrintsTheLaunchersWordsIsNotTakenForARefusedJvm() throws Exception {
        // say, a training whose own child JVM would not start: this worker's JVM did, and said ready
        ModelFuture future = trainWithFakeWorker("says-no-jvm-after-ready", ChildJvmOptions.SILENCE_TIMEOUT);
        JobError error = errorOf(future);
        assertThat(error.type()).isEqualTo(JobError.Kind.PROCESS_DIED.name());
        assertThat(error.message()).isEqualTo("Training process died with exit code 1");
        assertThat(error.stackText()).contains("Could not create the Java Virtual Machine");
    }

    @Test
    void aJvmThatRefusedItsOptionsIsNotRetried() throws Exception {
        ModelFuture future = trainers()
                .trainer(Map.of("jvm_options", List.of("-XX:+NoSuchKilnOption"), "max_retries", 2))
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        JobError error = errorOf(future);
        assertThat(error.type()).isEqualTo(JobError.JVM_REFUSED_OPTIONS);
        assertThat(future.info().attempt()).as("attempts made").isEqualTo(1);
    }

    @Test
    void anUnusableWorkDirectoryIsNamed() throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("work"), "a file, not a directory");
        ModelFuture future = trainers()
                .trainer(Map.of())
                .train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        JobError error = errorOf(future);
        assertThat(error.message())
                .contains("Cannot create the working directory of training " + future.id())
                .contains(tmp.resolve("work").toString())
                .contains("work_dir");
    }

    @Test
    void aJobPastItsMaxDurationTimesOutAndItsProcessGoes() throws Exception {
        LocalModelTrainer trainer = trainers().trainer(Map.of("max_duration", "2s"));
        Path started = tmp.resolve("started");
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withGate(tmp.resolve("never"), started),
                TrainOptions.none());
        ChildTrainers.startedPid(started);
        trainers.time.advance(Duration.ofMillis(1999));
        assertThat(future.info().status()).as("within max_duration").isEqualTo(JobStatus.RUNNING);
        trainers.time.advance(Duration.ofMillis(1));
        JobError error = errorOf(future);
        assertThat(error.kind()).isEqualTo(JobError.Kind.TIMEOUT);
        long pid = trainers.runner(trainer).workerPid(future.id());
        assertThat(pid).isPositive();
        ChildTrainers.awaitGone(pid);
    }

    private static void assertProcessGone(JobError error) {
        String message = error.message();
        long pid = Long.parseLong(message.replaceAll("^Training process (\\d+) .*$", "$1"));
        ChildTrainers.awaitGone(pid);
    }
}
