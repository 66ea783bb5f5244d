package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A worker that completes its job kills what its training started before it exits, in both start methods. */
class WorkerLeftoverProcessesTest {
    @TempDir
    Path tmp;

    private ChildTrainers trainers;
    private long leftover;

    @AfterEach
    void close() {
        if (leftover > 0) {
            ProcessHandle.of(leftover).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (trainers != null) {
            trainers.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spawn", "forkserver"})
    void aProcessTheTrainingStartedDoesNotOutliveItsCompletedWorker(String startMethod) throws Exception {
        trainers = new ChildTrainers(tmp.resolve("work"));
        Path registration = ProcessStartingModule.registration(tmp.resolve("modules"));
        LocalModelTrainer trainer = trainers.trainer(Map.of(
                "subprocess_start_method",
                startMethod,
                "classpath",
                System.getProperty("java.class.path") + File.pathSeparator + registration));
        Path pidFile = tmp.resolve("pid");

        ModelFuture future = trainer.train(
                new ProcessStartingModule(), new ProcessStartingModule.Params(pidFile.toString()), TrainOptions.none());

        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        leftover = Long.parseLong(Files.readString(pidFile).trim());
        long worker = trainers.runner(trainer).workerPid(future.id());
        assertThat(worker).as("the worker's pid").isPositive();
        await().atMost(WAIT).until(() -> !ChildTrainers.alive(worker));
        await().atMost(WAIT).until(() -> !ChildTrainers.alive(leftover));
    }
}
