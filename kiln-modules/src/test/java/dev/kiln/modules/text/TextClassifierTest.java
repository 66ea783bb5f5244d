package dev.kiln.modules.text;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextClassifierTest {
    @TempDir
    static Path dir;

    static HeldOutFile spam;
    static RecordingContext context;
    static TextClassifierModel model;

    @BeforeAll
    static void trainOnSpamAssassin() throws Exception {
        spam = HeldOutFile.split(ShippedDataset.SPAM_ASSASSIN, 0.2, 7, dir);
        context = RecordingContext.create(dir);
        model = new TextClassifier().train(TextClassifier.Params.of(spam.train(TextRecord.class)), context);
    }

    @Test
    void classifiesHeldOutMailWellAboveChance() {
        List<TextRecord> test = spam.test(TextRecord.class);
        long correct = test.stream()
                .filter(r -> model.predict(r.text()).label().equals(r.label()))
                .count();
        double accuracy = (double) correct / test.size();
        // Half the corpus is spam, so chance is 0.5.
        assertThat(test).hasSizeGreaterThan(500);
        assertThat(accuracy).isGreaterThan(0.93);
    }

    @Test
    void reportsEveryEpochWithLossAndValidationAccuracy() {
        List<Progress> progress = context.progress();
        assertThat(progress).extracting(Progress::step).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.total()).isEqualTo(5);
            assertThat(p.metrics()).containsKeys("loss", "val_accuracy");
        });
        assertThat(progress.get(4).metrics().get("loss"))
                .isLessThan(progress.get(0).metrics().get("loss"));
        assertThat(model.metrics()).isEqualTo(progress.get(4).metrics());
    }

    @Test
    void scoresEveryHeldOutTextBitForBitAsTribuoDoes() {
        TextClassifierModel loaded =
                (TextClassifierModel) ModelFormat.load(ModelFormat.save(model, dir.resolve("exact-model"), "t-2"));
        assertThat(model.scoresDirectly()).isTrue();
        assertThat(loaded.scoresDirectly()).isTrue();
        List<TextRecord> test = spam.test(TextRecord.class);
        for (TextRecord r : test) {
            ClassificationResult tribuo = model.tribuoPrediction(r.text());
            assertThat(model.predict(r.text())).as(r.text()).isEqualTo(tribuo);
            assertThat(loaded.predict(r.text())).as(r.text()).isEqualTo(tribuo);
        }
        String huge = "Click here for a FREE offer, money back! ".repeat(5_000);
        for (String text : List.of("", "   ", "!!!", "zzqxv unknownword", "FREE free Free", huge, "free offer")) {
            assertThat(model.predict(text)).as(text).isEqualTo(model.tribuoPrediction(text));
        }
    }

    @Test
    void givesEveryLabelAScore() {
        ClassificationResult result = model.predict("Click here to claim your FREE prize, limited offer!!!");
        assertThat(result.label()).isEqualTo("spam");
        assertThat(result.scores()).containsOnlyKeys("spam", "ham");
        assertThat(result.scores().values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void predictsTheSameAfterSaveAndLoad() {
        Path saved = ModelFormat.save(model, dir.resolve("text-model"), "t-1");
        TextClassifierModel loaded = (TextClassifierModel) ModelFormat.load(saved);
        for (TextRecord r : spam.test(TextRecord.class).subList(0, 100)) {
            assertThat(loaded.predict(r.text())).isEqualTo(model.predict(r.text()));
        }
        assertThat(loaded.metrics()).isEqualTo(model.metrics());
        assertThat(loaded.run(new TextInput("no word here is known: zzqx")))
                .isEqualTo(model.run(new TextInput("no word here is known: zzqx")));
    }

    @Test
    void stopsBetweenEpochsOnceCancelled() {
        RecordingContext cancelling = RecordingContext.cancelledAfter(2, dir);
        assertThatThrownBy(() -> new TextClassifier()
                        .train(
                                TextClassifier.Params.of(spam.train(TextRecord.class))
                                        .withEpochs(10),
                                cancelling))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(cancelling.progress()).extracting(Progress::step).containsExactly(1L, 2L);
    }

    @Test
    void rejectsANegativeLearningRateNamingIt() {
        TextClassifier.Params p =
                TextClassifier.Params.of(spam.train(TextRecord.class)).withLearningRate(-0.1);
        assertThatThrownBy(() -> new TextClassifier().validate(p))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'learning_rate'");
    }

    @Test
    void rejectsEmptyDataNamingIt() {
        assertThatThrownBy(() -> new TextClassifier()
                        .train(TextClassifier.Params.of(DataStream.of(List.of())), RecordingContext.create(dir)))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'training_data'")
                .hasMessageContaining("no records");
    }

    @Test
    void rejectsASingleLabelBeforeTraining() {
        RecordingContext ctx = RecordingContext.create(dir);
        DataStream<TextRecord> oneLabel =
                DataStream.of(new TextRecord("buy now", "spam"), new TextRecord("cheap pills", "spam"));
        assertThatThrownBy(() -> new TextClassifier().train(TextClassifier.Params.of(oneLabel), ctx))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'training_data'")
                .hasMessageContaining("only one label ('spam')");
        assertThat(ctx.progress()).isEmpty();
    }

    @Test
    void rejectsARecordWithoutALabel() {
        DataStream<TextRecord> data = DataStream.of(new TextRecord("buy now", "spam"), new TextRecord("hi", null));
        assertThatThrownBy(
                        () -> new TextClassifier().train(TextClassifier.Params.of(data), RecordingContext.create(dir)))
                .hasMessageContaining("Record 2 of parameter 'training_data' has no 'label'");
    }

    @Test
    void rejectsAnOutOfRangeNgramMax() {
        TextClassifier.Params p =
                TextClassifier.Params.of(spam.train(TextRecord.class)).withNgramMax(9);
        assertThatThrownBy(() -> new TextClassifier().validate(p)).hasMessageContaining("'ngram_max'");
    }
}
