package dev.kiln.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kiln status} shows every attempt of a retried training, in text and in JSON. */
class AttemptsOutputTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final JobError KILLED =
            JobError.of(JobError.Kind.PROCESS_DIED, "Training process was killed by signal 9");

    private static TrainingSnapshot retried() {
        return new TrainingSnapshot(
                "t-1",
                "TextClassifier",
                "default",
                JobStatus.COMPLETED,
                T0,
                T0,
                T0.plusSeconds(9),
                null,
                List.of(),
                null,
                0,
                List.of(
                        new Attempt(1, T0, T0.plusSeconds(2), Attempt.Outcome.RETRIED, KILLED),
                        new Attempt(2, T0.plusSeconds(3), T0.plusSeconds(9), Attempt.Outcome.COMPLETED, null)));
    }

    @Test
    void theSummaryHasARowPerAttemptWithItsOutcomeAndError() {
        StringWriter text = new StringWriter();
        Summary.print(new PrintWriter(text), retried(), T0.plusSeconds(10));
        assertThat(text.toString())
                .contains("  attempt 1      RETRIED PROCESS_DIED: Training process was killed by signal 9\n")
                .contains("  attempt 2      COMPLETED\n");
    }

    @Test
    void theJsonCarriesTheCurrentAttemptAndEveryAttempt() {
        JsonNode json = TrainingJson.of(retried(), T0.plusSeconds(10));
        assertThat(json.get("attempt").asInt()).isEqualTo(2);
        assertThat(json.get("attempts")).hasSize(2);
        assertThat(json.get("attempts").get(0).get("outcome").asText()).isEqualTo("RETRIED");
        assertThat(json.get("attempts").get(0).get("error").get("kind").asText())
                .isEqualTo("PROCESS_DIED");
        assertThat(json.get("attempts").get(1).get("error").isNull()).isTrue();
    }
}
