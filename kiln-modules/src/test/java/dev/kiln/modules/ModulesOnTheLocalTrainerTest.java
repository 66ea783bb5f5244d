package dev.kiln.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.json.Parameters;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.ParameterSpec;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextClassifierModel;
import dev.kiln.modules.text.TextInput;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modules as a trainer sees them: found by name, bound from caikit-shaped JSON, trained, cancelled. */
class ModulesOnTheLocalTrainerTest {
    @TempDir
    Path dir;

    @Test
    void theModulesAreFoundByNameWithTheirTasks() {
        ModuleRegistry registry = ModuleRegistry.global();
        assertThat(registry.get("TextClassifier").descriptor().task()).isEqualTo("TextClassification");
        assertThat(registry.get("TabularClassifier").descriptor().task()).isEqualTo("TabularClassification");
        assertThat(registry.get("TabularRegressor").descriptor().task()).isEqualTo("TabularRegression");
        assertThat(Parameters.specs(registry.get("TextClassifier").parametersType()))
                .extracting(ParameterSpec::name)
                .containsExactly(
                        "training_data",
                        "epochs",
                        "learning_rate",
                        "ngram_max",
                        "min_count",
                        "seed",
                        "validation_split",
                        "checkpoint_every");
        assertThat(Parameters.specs(registry.get("TabularRegressor").parametersType()))
                .extracting(ParameterSpec::name, ParameterSpec::type)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("training_data", "data_stream"),
                        org.assertj.core.groups.Tuple.tuple("categorical_columns", "array"));
    }

    private JsonNode textParams(Path data, int epochs) {
        ObjectNode json = KilnJson.strict().createObjectNode();
        json.putObject("training_data").putObject("file").put("filename", data.toString());
        json.put("epochs", epochs);
        return json;
    }

    @Test
    void trainsFromJsonParametersSavesAndLoads() throws Exception {
        Path data = ShippedDataset.SPAM_ASSASSIN.extractTo(dir);
        ModuleType<?, ?> module = ModuleRegistry.global().get("TextClassifier");
        TextClassifier.Params params =
                Parameters.bind(TextClassifier.Params.class, textParams(data, 3), "TextClassifier");
        assertThat(Parameters.toJson(params)
                        .get("training_data")
                        .get("file")
                        .get("filename")
                        .asText())
                .isEqualTo(data.toString());
        try (LocalModelTrainer trainer = LocalModelTrainer.create()) {
            ModelFuture future = trainer.train((TextClassifier) module, params, TrainOptions.saveTo(dir.resolve("m")));
            JobInfo done = future.await();
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.progress().step()).isEqualTo(3);
            assertThat(done.progress().total()).isEqualTo(3);
            assertThat(done.progress().metrics().get("val_accuracy")).isGreaterThan(0.9);
            TextClassifierModel model = (TextClassifierModel) future.load();
            TextClassifierModel loaded = (TextClassifierModel) dev.kiln.modelformat.ModelFormat.load(dir.resolve("m"));
            TextInput input = new TextInput("Meeting moved to Thursday, see the agenda attached");
            assertThat(loaded.run(input)).isEqualTo(model.run(input));
        }
    }

    @Test
    void aNegativeLearningRateIsRejectedWhenSubmitted() {
        ObjectNode json = (ObjectNode) textParams(dir.resolve("data.jsonl"), 3);
        json.put("learning_rate", -1.0);
        TextClassifier.Params params = Parameters.bind(TextClassifier.Params.class, json, "TextClassifier");
        try (LocalModelTrainer trainer = LocalModelTrainer.create()) {
            assertThatThrownBy(() -> trainer.train(new TextClassifier(), params, TrainOptions.none()))
                    .isInstanceOfSatisfying(
                            KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("'learning_rate'");
            assertThat(trainer.list()).isEmpty();
        }
    }

    @Test
    void aMissingDataFileErrorsTheJobNamingTheFile() throws Exception {
        TextClassifier.Params params = Parameters.bind(
                TextClassifier.Params.class, textParams(dir.resolve("absent.jsonl"), 3), "TextClassifier");
        try (LocalModelTrainer trainer = LocalModelTrainer.create()) {
            JobInfo info = trainer.train(new TextClassifier(), params, TrainOptions.none())
                    .await();
            assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
            assertThat(info.errors().get(0).message()).contains("absent.jsonl");
        }
    }

    @Test
    void cancellingBetweenEpochsEndsCanceledWithNothingSaved() throws Exception {
        Path data = ShippedDataset.SPAM_ASSASSIN.extractTo(dir);
        TextClassifier.Params params =
                Parameters.bind(TextClassifier.Params.class, textParams(data, 20), "TextClassifier");
        ExecutorService workers = Executors.newSingleThreadExecutor();
        AtomicReference<Long> lastStep = new AtomicReference<>();
        Path savePath = dir.resolve("cancelled");
        try (LocalModelTrainer trainer =
                LocalModelTrainer.builder().executor(workers).build()) {
            trainer.addListener(event -> {
                if (event.kind() == JobEvent.Kind.PROGRESS) {
                    lastStep.set(event.info().progress().step());
                    event.future().cancel();
                }
            });
            ModelFuture future = trainer.train(new TextClassifier(), params, TrainOptions.saveTo(savePath));
            assertThat(future.await().status()).isEqualTo(JobStatus.CANCELED);
            workers.shutdown();
            assertThat(workers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            assertThat(lastStep.get()).isEqualTo(1L);
            assertThat(future.info().status()).isEqualTo(JobStatus.CANCELED);
            assertThat(Files.exists(savePath)).isFalse();
        }
    }
}
