package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A job that runs past {@code time_limit} on a real Slurm. Slurm's smallest limit is one minute and slurmctld
 * checks limits every 30 seconds, so this takes 60 to 90 seconds of waiting; it runs beside the other test classes.
 */
@Execution(ExecutionMode.CONCURRENT)
class SlurmTimeLimitTest {
    @TempDir
    Path tmp;

    private SlurmModelTrainer trainer;

    @BeforeEach
    void slurmIsRunning() {
        SlurmCluster.assumeRunning();
    }

    @AfterEach
    void close() {
        if (trainer != null) {
            SlurmCluster.drain(List.of(trainer));
            trainer.close();
        }
    }

    @Test
    void aJobPastItsTimeLimitErrorsWithSlurmsStateAndReason() throws Exception {
        trainer = SlurmCluster.trainer(tmp.resolve("work"), Map.of("time_limit", "1m"), Clock.systemUTC());
        assertThat(trainer.settings().timeLimit()).isEqualTo(Duration.ofMinutes(1));
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withSleep(3600, 0.05),
                TrainOptions.saveTo(tmp.resolve("never")));

        JobInfo info = future.await(Duration.ofMinutes(3));

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.started()).isNotNull();
        assertThat(info.errors()).hasSize(1);
        JobError error = info.errors().get(0);
        assertThat(error.kind()).isEqualTo(JobError.Kind.SCHEDULER);
        assertThat(error.message())
                .startsWith("Slurm job " + ((SlurmTrainingJob) future).slurmJobId() + " of training " + future.id()
                        + " ended TIMEOUT with exit code ")
                .contains("TimeLimit");
        assertThat(tmp.resolve("never")).doesNotExist();
        assertThat(future.logs()).contains("DUE TO TIME LIMIT");
    }
}
