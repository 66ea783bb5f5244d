package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SlurmTools;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Without a Slurm, the integration tests are skipped with directions, or fail when Slurm is required. */
class SlurmClusterTest {
    private final SlurmCommands noSlurm = new SlurmCommands(
            new SlurmTools(
                    "/opt/none/sbatch",
                    "/opt/none/squeue",
                    "/opt/none/scontrol",
                    "/opt/none/scancel",
                    "/opt/none/sacct"),
            new ProcessCommandRunner(Duration.ofSeconds(10)));

    @Test
    void aMissingSlurmSkipsWithDirectionsOnHowToRunTheTests() {
        assertThatThrownBy(() -> SlurmCluster.assumeAnswers(noSlurm, null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("/opt/none/scontrol ping")
                .hasMessageContaining("scripts/slurm-up.sh")
                .hasMessageContaining("KILN_REQUIRE_SLURM=1");
    }

    @Test
    void aMissingSlurmFailsWhenSlurmIsRequired() {
        assertThatThrownBy(() -> SlurmCluster.assumeAnswers(noSlurm, "1"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("KILN_REQUIRE_SLURM=1 but No Slurm controller answers");
    }
}
