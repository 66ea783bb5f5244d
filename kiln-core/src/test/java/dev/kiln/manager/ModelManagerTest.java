package dev.kiln.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.config.KilnConfig;
import dev.kiln.job.JobStatus;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManagerTest {
    @TempDir
    Path tmp;

    private static final KilnConfig TWO_TRAINERS = KilnConfig.ofYaml("""
            model_management:
              trainers:
                default: {type: LOCAL}
                batch: {type: LOCAL, config: {max_concurrent_jobs: 1}}
            """);

    @Test
    void idsAreRoutedToTheTrainerThatOwnsThemIncludingExternalIds() throws Exception {
        try (ModelManager manager = ModelManager.fromConfig(TWO_TRAINERS)) {
            ModelFuture a = manager.train(
                    new SampleModule(), SampleModule.Params.defaults(), "default", TrainOptions.none(), true);
            ModelFuture b = manager.train(
                    new SampleModule(),
                    SampleModule.Params.defaults(),
                    "batch",
                    TrainOptions.none().withExternalTrainingId("nightly-1"),
                    true);
            assertThat(manager.getModelFuture(a.id())).isSameAs(a);
            assertThat(manager.getModelFuture("nightly-1")).isSameAs(b);
            assertThat(manager.getModelFuture("nightly-1").trainerName()).isEqualTo("batch");
            assertThat(manager.list()).containsExactlyInAnyOrder(a, b);
            assertThatThrownBy(() -> manager.getModelFuture("nope")).hasMessageContaining("Training nope");
        }
    }

    @Test
    void trainsAModuleByNameWithJsonParametersAndLoadsTheResult() throws Exception {
        try (ModelManager manager = ModelManager.fromConfig(KilnConfig.defaultsOnly())) {
            Path save = tmp.resolve("out");
            ModelFuture f = manager.train(
                    "SampleModule",
                    JsonNodeFactory.instance.objectNode().put("batch_size", 11),
                    null,
                    TrainOptions.saveTo(save),
                    true);
            assertThat(f.info().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(((SampleModel) manager.load(save)).batchSize()).isEqualTo(11);
        }
    }

    @Test
    void unknownTrainersModulesAndParametersAreNamed() {
        try (ModelManager manager = ModelManager.fromConfig(KilnConfig.defaultsOnly())) {
            assertThatThrownBy(() -> manager.trainer("gpu"))
                    .hasMessageContaining("Unknown trainer 'gpu'")
                    .hasMessageContaining("default");
            assertThatThrownBy(() -> manager.train("Nope", null, null, TrainOptions.none(), false))
                    .hasMessageContaining("Unknown module 'Nope'");
            assertThatThrownBy(() -> manager.train(
                            "SampleModule",
                            JsonNodeFactory.instance.objectNode().put("epochs", 1),
                            null,
                            TrainOptions.none(),
                            false))
                    .hasMessageContaining("Unknown parameter 'epochs'");
        }
    }
}
