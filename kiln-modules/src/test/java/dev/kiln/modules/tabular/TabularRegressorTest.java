package dev.kiln.modules.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.data.DataStream;
import dev.kiln.job.Progress;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.TrainingCancelledException;
import dev.kiln.modules.HeldOutFile;
import dev.kiln.modules.RecordingContext;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.sgd.LinearRegressorTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularRegressorTest {
    @TempDir
    static Path dir;

    static HeldOutFile diabetes;
    static RecordingContext context;
    static TabularRegressorModel model;

    @BeforeAll
    static void trainOnDiabetes() throws Exception {
        diabetes = HeldOutFile.split(ShippedDataset.DIABETES, 0.25, 3, dir);
        context = RecordingContext.create(dir);
        model = new TabularRegressor()
                .train(
                        TabularParams.of(diabetes.trainRows(), "progression").withCategoricalColumns(List.of("sex")),
                        context);
    }

    @Test
    void explainsHeldOutProgressionWellAboveTheMean() {
        List<Map<String, Object>> test = diabetes.testRows();
        double[] actual = test.stream()
                .mapToDouble(r -> Double.parseDouble((String) r.get("progression")))
                .toArray();
        double[] predicted =
                test.stream().mapToDouble(r -> model.run(r).value()).toArray();
        // Predicting the mean scores R² 0; linear models on this dataset reach about 0.5.
        assertThat(LinearRegressorTraining.r2(predicted, actual)).isGreaterThan(0.35);
        double sd = Math.sqrt(java.util.Arrays.stream(actual)
                        .map(a -> a - mean(actual))
                        .map(d -> d * d)
                        .sum()
                / actual.length);
        assertThat(LinearRegressorTraining.rmse(predicted, actual)).isLessThan(0.85 * sd);
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElseThrow();
    }

    @Test
    void readsTheForcedCategoricalColumn() {
        TabularSchema.Column sex = model.schema().columns().get(1);
        assertThat(sex.name()).isEqualTo("sex");
        assertThat(sex.kind()).isEqualTo(TabularSchema.Kind.CATEGORICAL);
        assertThat(sex.categories()).containsExactly("sex_1", "sex_2");
    }

    @Test
    void reportsEveryEpochWithLossRmseAndR2() {
        List<Progress> progress = context.progress();
        assertThat(progress).hasSize(30);
        assertThat(progress).allSatisfy(p -> assertThat(p.metrics()).containsKeys("loss", "val_rmse", "val_r2"));
        assertThat(progress.get(29).metrics().get("loss"))
                .isLessThan(progress.get(0).metrics().get("loss"));
    }

    @Test
    void predictsTheSameAfterSaveAndLoad() {
        Path saved = ModelFormat.save(model, dir.resolve("diabetes-model"), null);
        TabularRegressorModel loaded = (TabularRegressorModel) ModelFormat.load(saved);
        for (Map<String, Object> row : diabetes.testRows()) {
            assertThat(loaded.run(row)).isEqualTo(model.run(row));
        }
    }

    @Test
    void stopsBetweenEpochsOnceCancelled() {
        RecordingContext cancelling = RecordingContext.cancelledAfter(1, dir);
        assertThatThrownBy(() ->
                        new TabularRegressor().train(TabularParams.of(diabetes.trainRows(), "progression"), cancelling))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(cancelling.progress()).extracting(Progress::step).containsExactly(1L);
    }

    @Test
    void rejectsANonNumericTargetNamingTheRow() {
        DataStream<Map<String, Object>> rows = DataStream.of(Map.of("x", 1, "y", 2.0), Map.of("x", 2, "y", "high"));
        assertThatThrownBy(
                        () -> new TabularRegressor().train(TabularParams.of(rows, "y"), RecordingContext.create(dir)))
                .hasMessageContaining("Row 2 of parameter 'training_data': column 'y' must be a number; got 'high'");
    }
}
