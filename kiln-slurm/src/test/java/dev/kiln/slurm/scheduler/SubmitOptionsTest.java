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
                List.of("--exclusive", "--nice=5"));

        assertThat(all.arguments())
                .containsExactly(
                        "--job-name=kiln-x",
                        "--output=/w/x/slurm.out",
                        "--chdir=/w/x",
                        "--partition=gpu",
                        "--account=proj",
                        "--qos=high",
                        "--time=1-02:00:05",
                        "--cpus-per-task=4",
                        "--mem=8G",
                        "--gres=gpu:2",
                        "--exclusive",
                        "--nice=5");
        assertThat(new SubmitOptions(
                                "kiln-y", Path.of("/o"), Path.of("/w"), null, null, null, null, null, null, null, null)
                        .arguments())
                .containsExactly("--job-name=kiln-y", "--output=/o", "--chdir=/w");
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
