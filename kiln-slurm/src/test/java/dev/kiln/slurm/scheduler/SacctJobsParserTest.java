package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading {@code sacct -P -n -o JobID,State,ExitCode,Start,End}. */
class SacctJobsParserTest {
    @Test
    void readsJobsAndSkipsSteps() {
        Map<String, SlurmJobStatus> jobs =
                SacctJobsParser.parse("1|FAILED|3:0|2026-11-28T18:30:48|2026-11-28T18:30:48\n"
                        + "2|CANCELLED by 0|0:0|2026-11-28T18:30:48|2026-11-28T18:34:04\n"
                        + "2.batch|CANCELLED|0:15|2026-11-28T18:30:48|2026-11-28T18:34:04\n"
                        + "4|TIMEOUT|0:0|2026-11-28T18:31:10|2026-11-28T18:32:28\n");

        assertThat(jobs).containsOnlyKeys("1", "2", "4");
        assertThat(jobs.get("1").state()).isEqualTo(SlurmState.FAILED);
        assertThat(jobs.get("1").exitCode()).isEqualTo(new ExitCode(3, 0));
        assertThat(jobs.get("2").state()).isEqualTo(SlurmState.CANCELLED);
        assertThat(jobs.get("2").stateText()).isEqualTo("CANCELLED by 0");
        assertThat(jobs.get("4").state()).isEqualTo(SlurmState.TIMEOUT);
    }

    @Test
    void emptyOutputHasNoJobs() {
        assertThat(SacctJobsParser.parse("")).isEmpty();
    }
}
