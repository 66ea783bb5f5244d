package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.slurm.scheduler.CommandResult;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SlurmCluster#startRequeuedJob} on a real Slurm, with a plain batch job: however often it is requeued and let
 * go, its next run may only begin after the second its last run was killed in, and it does begin. Let go with
 * {@code StartTime=now} instead, a run could begin in the very second of the kill, which slurmd refuses ("already
 * killed"), and the job ended FAILED with exit code 1:0; whether it did depended on where in a second the scheduler
 * happened to run, so the requeue test that did this failed only now and then. The begin time shows the fault every
 * time the kill and the release fall in the same second.
 */
class SlurmRequeueRestartTest {
    private static final int REQUEUES = 3;

    @TempDir
    Path tmp;

    @BeforeEach
    void slurmIsRunning() {
        SlurmCluster.assumeRunning();
    }

    @Test
    void aRequeuedJobLetGoBeforeItsHoldEndsRunsAgainEveryTime() throws Exception {
        CommandResult submitted = new ProcessCommandRunner(Duration.ofSeconds(30))
                .run(List.of(
                        "sbatch",
                        "--parsable",
                        "--requeue",
                        "--job-name=kiln-requeue-restart",
                        "--output=" + tmp.resolve("slurm.out"),
                        "--wrap=sleep 600"));
        assertThat(submitted.succeeded()).as(submitted.output()).isTrue();
        String jobId = submitted.stdout().strip().split(";")[0];
        try {
            for (int restarts = 0; restarts <= REQUEUES; restarts++) {
                String line = awaitRunOrEnd(jobId);
                assertThat(line)
                        .as("run %d of Slurm job %s", restarts + 1, jobId)
                        .contains("JobState=RUNNING", "Restarts=" + restarts);
                if (restarts < REQUEUES) {
                    SlurmCluster.scontrol("requeue", jobId);
                    SlurmCluster.startRequeuedJob(jobId);
                    assertThat(field(SlurmCluster.scontrol("-o", "show", "job", jobId), "EligibleTime"))
                            .as(
                                    "the next run of Slurm job %s may start only after the second its run was killed in",
                                    jobId)
                            .isGreaterThan(killedAt(jobId));
                }
            }
        } finally {
            new ProcessCommandRunner(Duration.ofSeconds(30)).run(List.of("scancel", jobId));
        }
    }

    /** When the job's latest run ended, to the second, from the job-completion log. */
    private static String killedAt(String jobId) throws Exception {
        CommandResult runs = new ProcessCommandRunner(Duration.ofSeconds(30))
                .run(List.of("sacct", "-c", "-j", jobId, "-P", "-n", "-o", "JobID,End"));
        assertThat(runs.succeeded()).as(runs.output()).isTrue();
        List<String> lines = runs.stdout().lines().toList();
        assertThat(lines).as("runs of Slurm job %s", jobId).isNotEmpty();
        return lines.get(lines.size() - 1).split("\\|")[1];
    }

    private static String field(String scontrolLine, String name) {
        for (String word : scontrolLine.strip().split(" ")) {
            if (word.startsWith(name + "=")) {
                return word.substring(name.length() + 1);
            }
        }
        throw new AssertionError("No " + name + " in: " + scontrolLine);
    }

    /** The job's line once it runs or has ended, whichever comes first. */
    private static String awaitRunOrEnd(String jobId) {
        return await().atMost(Duration.ofMinutes(2))
                .until(
                        () -> SlurmCluster.scontrol("-o", "show", "job", jobId),
                        line -> line.contains("JobState=RUNNING")
                                || !(line.contains("JobState=PENDING")
                                        || line.contains("JobState=COMPLETING")
                                        || line.contains("JobState=CONFIGURING")));
    }
}
