package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing Slurm test explains itself: the failure gains, for each training of the test's trainers, Slurm's and
 * Kiln's view of its job, each run's final state, the job's output and events, and what the daemons logged about it.
 */
class SlurmJobReportTest {
    @TempDir
    Path tmp;

    private final List<SlurmModelTrainer> made = new ArrayList<>();

    @BeforeEach
    void slurmIsRunning() {
        SlurmCluster.assumeRunning();
    }

    @AfterEach
    void drain() {
        SlurmCluster.drain(made);
        made.forEach(SlurmModelTrainer::close);
    }

    @Test
    void aFailureOfATestWhoseJobEndedUnexpectedlyCarriesTheJobsStoryInItsMessage() throws Exception {
        SlurmModelTrainer trainer = SlurmCluster.trainer(tmp.resolve("work"), Map.of(), Clock.systemUTC());
        made.add(trainer);
        SlurmTrainingJob job = (SlurmTrainingJob)
                trainer.train(new SampleModule(), SampleModule.Params.defaults().withExitCode(3), TrainOptions.none());
        JobInfo info = job.await(Duration.ofMinutes(2));
        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        Files.writeString(job.directory().output(), "last words of the job\n", StandardOpenOption.APPEND);

        Throwable explained = SlurmJobReport.explained(new AssertionError("expected COMPLETED"));

        String id = job.slurmJobId();
        assertThat(explained)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected COMPLETED\n\n=== Training " + job.id() + ": ERRORED, attempt 1")
                .hasMessageContaining("error SCHEDULER: Slurm job " + id + " of training " + job.id())
                .hasMessageContaining("--- scontrol -o show job " + id + " ---\nJobId=" + id + " ")
                .hasMessageContaining("\n" + id + "|" + JobSubmitter.jobName(job.id()) + "|FAILED|3:0|")
                .hasMessageContaining("last words of the job")
                .hasMessageContaining("\"started\"");
        assertThat(explained.getCause()).hasMessage("expected COMPLETED");
        Path slurmdLog = SlurmCluster.scontrol("show", "config")
                .lines()
                .filter(l -> l.startsWith("SlurmdLogFile "))
                .map(l -> Path.of(l.substring(l.indexOf('=') + 1).strip()))
                .findFirst()
                .orElseThrow();
        if (Files.isReadable(slurmdLog)) {
            assertThat(explained).hasMessageContaining("Launching batch job " + id + " ");
        } else {
            assertThat(explained).hasMessageContaining(slurmdLog + " cannot be read here");
        }
    }
}
