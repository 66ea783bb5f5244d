package dev.kiln.bench.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColdCallsTest {
    @Test
    void countsTheMethodsOfOneRoundTripInWhichTheCallerRunsItsJob() throws Exception {
        List<String> entered = ColdCalls.count(System.getProperty("java.class.path"));

        assertThat(entered).first().isEqualTo("dev.kiln.bench.Jobs.trainAwait");
        assertThat(entered)
                .extracting(String::strip)
                .contains(
                        "dev.kiln.trainer.base.AbstractModelTrainer.submit",
                        "dev.kiln.local.ThreadJobRunner.runHere",
                        "dev.kiln.local.ThreadJobRunner.attempt",
                        "dev.kiln.bench.modules.InstantModule.train",
                        "dev.kiln.job.JobState.end")
                .doesNotContain("dev.kiln.bench.calls.ColdCallsTarget.end");
        assertThat(entered.stream().filter(m -> m.startsWith("    ")))
                .as("methods below the round trip's own are indented by their depth")
                .isNotEmpty();
    }
}
