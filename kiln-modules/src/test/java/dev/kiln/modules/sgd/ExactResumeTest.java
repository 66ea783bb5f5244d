package dev.kiln.modules.sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.job.Progress;
import dev.kiln.module.TrainingCancelledException;
import dev.kiln.modules.HeldOutFile;
import dev.kiln.modules.RecordingContext;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.tabular.TabularParams;
import dev.kiln.modules.tabular.TabularRegressor;
import dev.kiln.modules.tabular.TabularRegressorModel;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextClassifierModel;
import dev.kiln.modules.text.TextRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training stopped after epoch k and started again resumes from its checkpoint and ends with exactly the model of a
 * training that ran straight through: the same scores, to the last bit, on every held-out input.
 */
class ExactResumeTest {
    @TempDir
    static Path dir;

    static HeldOutFile spam;
    static HeldOutFile diabetes;

    @BeforeAll
    static void split() throws Exception {
        spam = HeldOutFile.split(ShippedDataset.SPAM_ASSASSIN, 0.2, 7, dir);
        diabetes = HeldOutFile.split(ShippedDataset.DIABETES, 0.25, 3, dir);
    }

    @Test
    void aTextClassifierInterruptedAfterEpochTwoResumesToTheSameModel() throws Exception {
        TextClassifier.Params params =
                TextClassifier.Params.of(spam.train(TextRecord.class)).withEpochs(5);
        TextClassifierModel straight = new TextClassifier().train(params, RecordingContext.create(dir));

        RecordingContext first = RecordingContext.cancelledAfter(2, dir);
        assertThatThrownBy(() -> new TextClassifier().train(params, first))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(first.checkpointsSaved()).containsExactly(1L, 2L);
        RecordingContext second = RecordingContext.resuming(first);
        TextClassifierModel resumed = new TextClassifier().train(params, second);

        assertThat(second.progress()).extracting(Progress::step).containsExactly(3L, 4L, 5L);
        assertThat(resumed.metrics()).isEqualTo(straight.metrics());
        List<TextRecord> test = spam.test(TextRecord.class);
        assertThat(test).hasSizeGreaterThan(500);
        for (TextRecord r : test) {
            assertThat(resumed.predict(r.text())).isEqualTo(straight.predict(r.text()));
        }
    }

    @Test
    void aCheckpointRequestedBetweenRegularOnesIsSavedAtOnceAndResumesToTheSameModel() throws Exception {
        TextClassifier.Params params = TextClassifier.Params.of(spam.train(TextRecord.class))
                .withEpochs(8)
                .withCheckpointEvery(100);
        TextClassifierModel straight = new TextClassifier().train(params, RecordingContext.create(dir));

        RecordingContext first = RecordingContext.checkpointRequestedAt(3, 5, dir);
        assertThatThrownBy(() -> new TextClassifier().train(params, first))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(first.checkpointsSaved()).as("only the requested one").containsExactly(3L);
        RecordingContext second = RecordingContext.resuming(first);
        TextClassifierModel resumed = new TextClassifier().train(params, second);

        assertThat(second.progress()).extracting(Progress::step).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(resumed.metrics()).isEqualTo(straight.metrics());
        for (TextRecord r : spam.test(TextRecord.class)) {
            assertThat(resumed.predict(r.text())).isEqualTo(straight.predict(r.text()));
        }
    }

    @Test
    void aRegressorCheckpointingEveryThirdEpochResumesFromTheLatestToTheSameModel() throws Exception {
        TabularParams params = TabularParams.of(diabetes.trainRows(), "progression")
                .withCategoricalColumns(List.of("sex"))
                .withEpochs(10)
                .withCheckpointEvery(3);
        TabularRegressorModel straight = new TabularRegressor().train(params, RecordingContext.create(dir));

        RecordingContext first = RecordingContext.cancelledAfter(7, dir);
        assertThatThrownBy(() -> new TabularRegressor().train(params, first))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(first.checkpointsSaved()).containsExactly(3L, 6L);
        RecordingContext second = RecordingContext.resuming(first);
        TabularRegressorModel resumed = new TabularRegressor().train(params, second);

        assertThat(second.progress()).extracting(Progress::step).containsExactly(7L, 8L, 9L, 10L);
        assertThat(second.checkpointsSaved()).containsExactly(9L, 10L);
        assertThat(resumed.metrics()).isEqualTo(straight.metrics());
        for (Map<String, Object> row : diabetes.testRows()) {
            assertThat(resumed.run(row)).isEqualTo(straight.run(row));
        }
    }

    @Test
    void aCheckpointOfOtherSettingsIsIgnored() throws Exception {
        TextClassifier.Params params =
                TextClassifier.Params.of(spam.train(TextRecord.class)).withEpochs(3);
        RecordingContext first = RecordingContext.cancelledAfter(1, dir);
        assertThatThrownBy(() -> new TextClassifier().train(params.withLearningRate(0.25), first))
                .isInstanceOf(TrainingCancelledException.class);

        RecordingContext second = RecordingContext.resuming(first);
        new TextClassifier().train(params, second);

        assertThat(second.progress()).extracting(Progress::step).containsExactly(1L, 2L, 3L);
    }
}
