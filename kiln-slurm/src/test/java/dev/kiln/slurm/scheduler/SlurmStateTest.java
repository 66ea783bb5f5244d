package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Slurm's states and where each is in a job's life. */
class SlurmStateTest {
    @ParameterizedTest
    @CsvSource({
        "PENDING, WAITING",
        "REQUEUED, WAITING",
        "REQUEUE_HOLD, WAITING",
        "CONFIGURING, ACTIVE",
        "RUNNING, ACTIVE",
        "COMPLETING, ACTIVE",
        "SUSPENDED, ACTIVE",
        "COMPLETED, FINISHED",
        "CANCELLED, FINISHED",
        "FAILED, FINISHED",
        "TIMEOUT, FINISHED",
        "NODE_FAIL, FINISHED",
        "OUT_OF_MEMORY, FINISHED",
        "BOOT_FAIL, FINISHED",
        "PREEMPTED, FINISHED",
        "DEADLINE, FINISHED"
    })
    void eachStateHasItsPhase(String text, SlurmState.Phase phase) {
        assertThat(SlurmState.parse(text).phase()).isEqualTo(phase);
        assertThat(SlurmState.parse(text).isFinished()).isEqualTo(phase == SlurmState.Phase.FINISHED);
    }

    @Test
    void decoratedStatesCountByTheirFirstWord() {
        assertThat(SlurmState.parse("CANCELLED by 1000")).isEqualTo(SlurmState.CANCELLED);
        assertThat(SlurmState.parse("COMPLETING+")).isEqualTo(SlurmState.COMPLETING);
        assertThat(SlurmState.parse(" running ")).isEqualTo(SlurmState.RUNNING);
    }

    @Test
    void unknownStatesAreTreatedAsStillActive() {
        assertThat(SlurmState.parse("SOMETHING_NEW")).isEqualTo(SlurmState.UNKNOWN);
        assertThat(SlurmState.parse("")).isEqualTo(SlurmState.UNKNOWN);
        assertThat(SlurmState.parse(null)).isEqualTo(SlurmState.UNKNOWN);
        assertThat(SlurmState.UNKNOWN.isFinished()).isFalse();
    }

    @Test
    void exitCodesAreCodeColonSignal() {
        assertThat(ExitCode.parse("3:0")).isEqualTo(new ExitCode(3, 0));
        assertThat(ExitCode.parse("0:15")).isEqualTo(new ExitCode(0, 15));
        assertThat(ExitCode.parse("2")).isEqualTo(new ExitCode(2, 0));
        assertThat(ExitCode.parse("n/a")).isNull();
        assertThat(ExitCode.parse(null)).isNull();
        assertThat(new ExitCode(143, 0)).hasToString("143:0");
    }

    @Test
    void theEndIsDescribedWithStateExitCodeAndReason() {
        assertThat(new SlurmJobStatus("9", SlurmState.TIMEOUT, null, new ExitCode(0, 15), "TimeLimit").describeEnd())
                .isEqualTo("ended TIMEOUT with exit code 0:15 (reason: TimeLimit)");
        assertThat(new SlurmJobStatus("9", SlurmState.NODE_FAIL, null, null, "None").describeEnd())
                .isEqualTo("ended NODE_FAIL");
    }
}
