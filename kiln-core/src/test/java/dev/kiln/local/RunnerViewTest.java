package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.JobStatus;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainOptions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The view a runner reports through is made on demand: views of one job must still act as one key. */
class RunnerViewTest {
    @Test
    void viewsOfOneJobAreEqualAndViewsOfTwoJobsAreNot() throws Exception {
        try (LocalModelTrainer trainer = LocalModelTrainer.builder()
                .name("view-test")
                .settings(LocalTrainerSettings.defaults())
                .build()) {
            LocalTrainingJob first = (LocalTrainingJob)
                    trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
            LocalTrainingJob second = (LocalTrainingJob)
                    trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
            assertThat(first.await().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(second.await().status()).isEqualTo(JobStatus.COMPLETED);

            RunnerJob view = first.control();
            RunnerJob again = first.control();
            assertThat(again).isEqualTo(view).hasSameHashCodeAs(view);
            assertThat(second.control()).isNotEqualTo(view);

            Map<RunnerJob, String> byView = new HashMap<>();
            byView.put(view, "first");
            byView.put(second.control(), "second");
            assertThat(byView.get(first.control())).isEqualTo("first");
            assertThat(byView.get(second.control())).isEqualTo("second");
            assertThat(view.id()).isEqualTo(first.id());
        }
    }
}
