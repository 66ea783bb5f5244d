package dev.kiln.modules.tabular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.data.DataStream;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.Progress;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.TrainingCancelledException;
import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.HeldOutFile;
import dev.kiln.modules.RecordingContext;
import dev.kiln.modules.datasets.ShippedDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularClassifierTest {
    @TempDir
    static Path dir;

    static HeldOutFile cancer;
    static RecordingContext context;
    static TabularClassifierModel model;

    @BeforeAll
    static void trainOnBreastCancer() throws Exception {
        cancer = HeldOutFile.split(ShippedDataset.BREAST_CANCER, 0.25, 11, dir);
        context = RecordingContext.create(dir);
        model = new TabularClassifier().train(TabularParams.of(cancer.trainRows(), "diagnosis"), context);
    }

    static double accuracy(TabularClassifierModel m, List<Map<String, Object>> rows, String target) {
        long correct = rows.stream()
                .filter(r -> m.run(r).label().equals(r.get(target)))
                .count();
        return (double) correct / rows.size();
    }

    @Test
    void diagnosesHeldOutSamplesWellAboveChance() {
        // 63% of the samples are benign: always answering "benign" scores 0.63.
        assertThat(accuracy(model, cancer.testRows(), "diagnosis")).isGreaterThan(0.93);
    }

    @Test
    void classifiesHeldOutIrisesWellAboveChance() throws Exception {
        HeldOutFile iris = HeldOutFile.split(ShippedDataset.IRIS, 0.3, 5, dir);
        TabularClassifierModel irisModel = new TabularClassifier()
                .train(TabularParams.of(iris.trainRows(), "species").withEpochs(50), RecordingContext.create(dir));
        // Three balanced species: chance is 1/3.
        assertThat(accuracy(irisModel, iris.testRows(), "species")).isGreaterThan(0.85);
        assertThat(irisModel.labels()).containsExactly("setosa", "versicolor", "virginica");
    }

    @Test
    void reportsEveryEpochWithLossAndValidationAccuracy() {
        List<Progress> progress = context.progress();
        assertThat(progress).hasSize(30);
        assertThat(progress).extracting(Progress::step).startsWith(1L, 2L, 3L).endsWith(30L);
        assertThat(progress).allSatisfy(p -> assertThat(p.metrics()).containsKeys("loss", "val_accuracy"));
        assertThat(progress.get(29).metrics().get("loss"))
                .isLessThan(progress.get(0).metrics().get("loss"));
    }

    @Test
    void predictsTheSameAfterSaveAndLoad() {
        Path saved = ModelFormat.save(model, dir.resolve("cancer-model"), null);
        TabularClassifierModel loaded = (TabularClassifierModel) ModelFormat.load(saved);
        for (Map<String, Object> row : cancer.testRows()) {
            assertThat(loaded.run(row)).isEqualTo(model.run(row));
        }
        assertThat(loaded.schema()).isEqualTo(model.schema());
    }

    /** A row whose columns keep the order given, as rows read from files do. */
    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void readsCategoricalColumnsAsIndicators() {
        DataStream<Map<String, Object>> rows = DataStream.of(
                row("colour", "red", "size", 1.0, "kind", "apple"),
                row("colour", "red", "size", 1.2, "kind", "apple"),
                row("colour", "yellow", "size", 3.0, "kind", "banana"),
                row("colour", "yellow", "size", 2.8, "kind", "banana"),
                row("colour", "red", "size", 0.9, "kind", "apple"),
                row("colour", "yellow", "size", 3.1, "kind", "banana"));
        TabularClassifierModel fruit = new TabularClassifier()
                .train(
                        TabularParams.of(rows, "kind").withEpochs(50).withLearningRate(0.5),
                        RecordingContext.create(dir));
        assertThat(fruit.schema().columns())
                .extracting(TabularSchema.Column::kind)
                .containsExactly(TabularSchema.Kind.CATEGORICAL, TabularSchema.Kind.NUMERIC);
        assertThat(fruit.schema().columns().get(0).categories()).containsExactly("red", "yellow");
        ClassificationResult banana = fruit.run(Map.of("colour", "yellow", "size", 2.9));
        assertThat(banana.label()).isEqualTo("banana");
        // An unseen category adds no feature; the row is still classified.
        assertThat(fruit.run(Map.of("colour", "purple", "size", 1.0)).label()).isEqualTo("apple");
    }

    @Test
    void stopsBetweenEpochsOnceCancelled() {
        RecordingContext cancelling = RecordingContext.cancelledAfter(3, dir);
        assertThatThrownBy(() ->
                        new TabularClassifier().train(TabularParams.of(cancer.trainRows(), "diagnosis"), cancelling))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(cancelling.progress()).extracting(Progress::step).containsExactly(1L, 2L, 3L);
    }

    @Test
    void rejectsATargetMissingFromTheDataNamingIt() {
        RecordingContext ctx = RecordingContext.create(dir);
        assertThatThrownBy(() -> new TabularClassifier().train(TabularParams.of(cancer.trainRows(), "outcome"), ctx))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("Parameter 'target': column 'outcome' is not in training_data")
                .hasMessageContaining("diagnosis");
        assertThat(ctx.progress()).isEmpty();
    }

    @Test
    void rejectsASingleClassNamingIt() {
        DataStream<Map<String, Object>> rows = DataStream.of(Map.of("x", 1, "y", "a"), Map.of("x", 2, "y", "a"));
        assertThatThrownBy(
                        () -> new TabularClassifier().train(TabularParams.of(rows, "y"), RecordingContext.create(dir)))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'training_data' has only one value ('a') in target column 'y'");
    }

    @Test
    void rejectsEmptyData() {
        assertThatThrownBy(() -> new TabularClassifier()
                        .train(TabularParams.of(DataStream.of(List.of()), "y"), RecordingContext.create(dir)))
                .hasMessageContaining("Parameter 'training_data' holds no rows");
    }

    @Test
    void rejectsBadNumbersBeforeReadingData() {
        TabularClassifier module = new TabularClassifier();
        assertThatThrownBy(() -> module.validate(
                        TabularParams.of(cancer.trainRows(), "diagnosis").withLearningRate(-1)))
                .hasMessageContaining("'learning_rate'");
        assertThatThrownBy(() -> module.validate(
                        TabularParams.of(cancer.trainRows(), "diagnosis").withEpochs(0)))
                .hasMessageContaining("'epochs'");
        assertThatThrownBy(() -> module.validate(TabularParams.of(cancer.trainRows(), " ")))
                .hasMessageContaining("'target'");
    }

    @Test
    void rejectsAnUnknownCategoricalColumn() {
        assertThatThrownBy(() -> new TabularClassifier()
                        .train(
                                TabularParams.of(cancer.trainRows(), "diagnosis")
                                        .withCategoricalColumns(List.of("colour")),
                                RecordingContext.create(dir)))
                .hasMessageContaining("Parameter 'categorical_columns': column 'colour' is not in training_data");
    }

    @Test
    void rejectsANonNumericValueWhenPredicting() {
        assertThatThrownBy(() -> model.run(Map.of("radius_mean", "large")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("column 'radius_mean' must be a number; got 'large'");
    }
}
