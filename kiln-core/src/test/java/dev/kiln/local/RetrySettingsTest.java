package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import dev.kiln.json.KilnJson;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** max_retries, retry_backoff and retry_on_oom as a trainer's config gives them, and what they decide. */
class RetrySettingsTest {
    private static RetrySettings read(Map<String, Object> config) {
        return RetrySettings.from(
                new Settings("trainers.default.config", KilnJson.data().valueToTree(config)));
    }

    @Test
    void absentKeysTakeTheDefaults() {
        assertThat(read(Map.of())).isEqualTo(RetrySettings.defaults());
        assertThat(RetrySettings.defaults().maxRetries()).isEqualTo(2);
        assertThat(LocalTrainerSettings.defaults().retries()).isEqualTo(RetrySettings.defaults());
    }

    @Test
    void theReadmeExampleReads() {
        RetrySettings s = read(Map.of("max_retries", 3, "retry_backoff", Map.of("initial", "2s", "max", "1m")));
        assertThat(s.maxRetries()).isEqualTo(3);
        assertThat(s.initialBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.multiplier()).isEqualTo(2.0);
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> read(Map.of("max_retries", -1)))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("max_retries");
        assertThatThrownBy(() -> read(Map.of("retry_backoff", Map.of("jitter", 2))))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("retry_backoff.jitter");
        assertThatThrownBy(() -> read(Map.of("retry_backoff", Map.of("initial", "1m", "max", "1s"))))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("retry_backoff.max");
        assertThatThrownBy(() -> read(Map.of("retry_backoff", "fast")))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("retry_backoff");
    }

    @Test
    void theBackoffGrowsByTheMultiplierUpToTheMaximumWithinTheJitter() {
        RetrySettings s = new RetrySettings(9, Duration.ofSeconds(1), Duration.ofSeconds(10), 2, 0.5, false);
        assertThat(s.backoff(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoff(3, 0.5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.backoff(3, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.backoff(9, 0.5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.backoff(9, 0.999)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.backoff(9, 0.0)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void onlyFailuresOfTheInfrastructureOrMarkedRetryableAreRetried() {
        RetrySettings s = RetrySettings.defaults();
        assertThat(s.retryReason(JobError.of(JobError.Kind.PROCESS_DIED, "killed")))
                .contains("process_died");
        assertThat(s.retryReason(new JobError(
                        JobError.Kind.PROCESS_DIED, JobError.JVM_REFUSED_OPTIONS, "Unrecognized VM option 'X'", "")))
                .as("a JVM that refused its options would refuse them again")
                .isEmpty();
        assertThat(s.retryReason(JobError.of(JobError.Kind.PROTOCOL, "silent"))).contains("protocol");
        assertThat(s.retryReason(JobError.of(JobError.Kind.RETRYABLE_EXCEPTION, "flaky")))
                .contains("retryable_exception");
        assertThat(s.retryReason(JobError.of(JobError.Kind.EXCEPTION, "bad parameter")))
                .isEmpty();
        assertThat(s.retryReason(JobError.of(JobError.Kind.TIMEOUT, "too long")))
                .isEmpty();
        assertThat(s.retryReason(JobError.of(JobError.Kind.OUT_OF_MEMORY, "heap")))
                .isEmpty();
        RetrySettings onOom = new RetrySettings(2, Duration.ZERO, Duration.ZERO, 2, 0, true);
        assertThat(onOom.retryReason(JobError.of(JobError.Kind.OUT_OF_MEMORY, "heap")))
                .contains("out_of_memory");
    }
}
