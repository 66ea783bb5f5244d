package dev.kiln.slurm.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sbatch options and Slurm's time format. */
class SubmitOptionsTest {
    @Test
    void onlyTheGivenOptionsArePassedThenTheExtraOnes() {
        SubmitOptions all = new SubmitOptions(
                "kiln-x",
                Path.of("/w/x/slurm.out"),
                Path.of("/w/x"),
                "gpu",
                "proj",
                "high",
                Duration.ofHours(26).plusSeconds(5),
                4,
                "8G",
                "gpu:2",
                Duration.ofSeconds(90),
                -3,
                List.of("--exclusive", "--comment=x"));

        assertThat(all.arguments())
                .containsExactly(
                        "--job-name=kiln-x",
                        "--output=/w/x/slurm.out",
                        "--chdir=/w/x",
                        "--requeue",
                        "--open-mode=append",
                        "--signal=B:USR1@90",
                        "--partition=gpu",
                        "--account=proj",
                        "--qos=high",
                        "--time=1-02:00:05",
                        "--cpus-per-task=4",
                        "--mem=8G",
                        "--gres=gpu:2",
                        "--nice=-3",
                        "--exclusive",
                        "--comment=x");
        assertThat(new SubmitOptions(
                                "kiln-y",
                                Path.of("/o"),
                                Path.of("/w"),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null)
                        .arguments())
                .containsExactly("--job-name=kiln-y", "--output=/o", "--chdir=/w", "--requeue", "--open-mode=append");
    }

    @Test
    void theCheckpointSignalTakesWholeSecondsUpToSlurmsLimit() {
        assertThat(options(Duration.ofMillis(1500)).arguments()).contains("--signal=B:USR1@2");
        assertThatThrownBy(() -> options(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options(Duration.ofSeconds(65_536))).isInstanceOf(IllegalArgumentException.class);
    }

    private static SubmitOptions options(Duration grace) {
        return new SubmitOptions(
                "kiln-z", Path.of("/o"), Path.of("/w"), null, null, null, null, null, null, null, grace, null, null);
    }

    @Test
    void timeLimitsAreDaysHoursMinutesSecondsWithFractionsRoundedUp() {
        assertThat(SlurmTime.format(Duration.ofMinutes(1))).isEqualTo("0-00:01:00");
        assertThat(SlurmTime.format(Duration.ofMillis(1500))).isEqualTo("0-00:00:02");
        assertThat(SlurmTime.format(
                        Duration.ofDays(3).plusHours(4).plusMinutes(5).plusSeconds(6)))
                .isEqualTo("3-04:05:06");
        assertThatThrownBy(() -> SlurmTime.format(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
