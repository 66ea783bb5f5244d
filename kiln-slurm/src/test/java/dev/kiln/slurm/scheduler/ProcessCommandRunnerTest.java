package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Running real commands: output, exit codes, missing programs, hung ones. */
class ProcessCommandRunnerTest {
    private final ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(30));

    @Test
    void collectsBothStreamsAndTheExitCode() throws Exception {
        CommandResult result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.output()).isEqualTo("err\nout");
        assertThat(result.succeeded()).isFalse();
    }

    @Test
    void largeOutputOnBothStreamsDoesNotBlock() throws Exception {
        CommandResult result = runner.run(
                List.of("sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line-$i; echo err-$i >&2; i=$((i+1)); done"));

        assertThat(result.stdout().lines()).hasSize(20000);
        assertThat(result.stderr().lines()).hasSize(20000);
    }

    @Test
    void aMissingProgramCannotBeRun() {
        assertThatThrownBy(() -> runner.run(List.of("/opt/none/sbatch")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/opt/none/sbatch");
    }

    @Test
    void aCommandThatOutlivesTheTimeoutIsKilled() {
        ProcessCommandRunner impatient = new ProcessCommandRunner(Duration.ofMillis(200));

        assertThatThrownBy(() -> impatient.run(List.of("sleep", "600")))
                .isInstanceOf(IOException.class)
                .hasMessage("it did not finish within 200 ms");
    }
}
