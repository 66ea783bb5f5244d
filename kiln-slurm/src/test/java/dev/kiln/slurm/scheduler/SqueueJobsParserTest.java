package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code squeue -h -t all -j IDS -O JobID:|,State:|,Reason:|,RestartCnt:|,exit_code} as Slurm 22.05 prints it. */
class SqueueJobsParserTest {
    @Test
    void readsStateReasonAndTheWaitStatusAsSlurmsExitCode() {
        Map<String, SlurmJobStatus> jobs = SqueueJobsParser.parse("""
                2|CANCELLED|None|0|15
                1|FAILED|NonZeroExitCode|0|768
                3|FAILED|JobLaunchFailure|0|9
                4|RUNNING|None|2|0
                5|TIMEOUT|TimeLimit|0|15
                """);

        assertThat(jobs).containsOnlyKeys("1", "2", "3", "4", "5");
        assertThat(jobs.get("1"))
                .isEqualTo(
                        new SlurmJobStatus("1", SlurmState.FAILED, "FAILED", new ExitCode(3, 0), "NonZeroExitCode", 0));
        assertThat(jobs.get("2").exitCode()).isEqualTo(new ExitCode(0, 15));
        assertThat(jobs.get("2").reason()).isNull();
        assertThat(jobs.get("3").exitCode()).isEqualTo(new ExitCode(0, 9));
        assertThat(jobs.get("4"))
                .isEqualTo(new SlurmJobStatus("4", SlurmState.RUNNING, "RUNNING", ExitCode.ZERO, null, 2));
        assertThat(jobs.get("5").describeEnd()).isEqualTo("ended TIMEOUT with exit code 0:15 (reason: TimeLimit)");
    }

    @Test
    void skipsLinesNotInTheFormat() {
        assertThat(SqueueJobsParser.parse("")).isEmpty();
        assertThat(SqueueJobsParser.parse("JOBID|STATE|REASON\n|RUNNING|None|0|0\n7|RUNNING|None|0\n"))
                .isEmpty();
    }

    @Test
    void aWaitStatusThatIsNotANumberIsNoExitCode() {
        assertThat(SqueueJobsParser.parse("8|PENDING|Priority|0|N/A\n").get("8").exitCode())
                .isNull();
        assertThat(SqueueJobsParser.parse("8|PENDING|Priority|N/A|0\n").get("8").restarts())
                .isNull();
        assertThat(ExitCode.fromWaitStatus("33280")).isEqualTo(new ExitCode(130, 0));
    }
}
