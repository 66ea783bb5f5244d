package dev.kiln.modules.text;

import dev.kiln.data.DataStream;
import dev.kiln.error.KilnException;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.TrainingContext;
import dev.kiln.modules.ParamChecks;
import dev.kiln.modules.sgd.HoldOut;
import dev.kiln.modules.sgd.LinearClassifierTraining;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.SgdSettings;
import dev.kiln.modules.sgd.TrainingOutcome;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.classification.Label;

/**
 * Classifies texts: logistic regression over word n-grams (Tribuo's linear SGD with log loss and AdaGrad), trained in
 * epochs with the loss and held-out accuracy reported after each.
 */
@ModuleInfo(
        id = "5178884d-2941-47e8-93dc-6c0de63c7468",
        name = "TextClassifier",
        version = "1.0.0",
        task = "TextClassification")
public final class TextClassifier implements ModuleType<TextClassifier.Params, TextClassifierModel> {

    /** Parameters of {@link TextClassifier}. */
    public record Params(
            @Param(required = true, description = "Labelled texts: records with 'text' and 'label' fields")
            DataStream<TextRecord> trainingData,

            @Param(defaultValue = "5", description = "Passes over the training texts")
            int epochs,

            @Param(defaultValue = "0.5", description = "AdaGrad's initial learning rate")
            double learningRate,

            @Param(defaultValue = "2", description = "Longest word n-gram used as a feature (1 means single words)")
            int ngramMax,

            @Param(defaultValue = "2", description = "Keep only n-grams found in at least this many training texts")
            int minCount,

            @Param(defaultValue = "42", description = "Seed for the validation split and Tribuo's shuffling")
            long seed,

            @Param(
                    defaultValue = "0.2",
                    description = "Fraction of the texts held out to measure accuracy after " + "each epoch")
            double validationSplit,

            @Param(
                    defaultValue = "1",
                    description = "Epochs between checkpoints; a retried or resumed training continues from the "
                            + "latest (the last epoch is always checkpointed)")
            int checkpointEvery) {

        /** Parameters with every default and the given training data. */
        public static Params of(DataStream<TextRecord> trainingData) {
            return new Params(trainingData, 5, 0.5, 2, 2, 42, 0.2, 1);
        }

        public Params withEpochs(int value) {
            return new Params(
                    trainingData, value, learningRate, ngramMax, minCount, seed, validationSplit, checkpointEvery);
        }

        public Params withLearningRate(double value) {
            return new Params(trainingData, epochs, value, ngramMax, minCount, seed, validationSplit, checkpointEvery);
        }

        public Params withNgramMax(int value) {
            return new Params(
                    trainingData, epochs, learningRate, value, minCount, seed, validationSplit, checkpointEvery);
        }

        public Params withValidationSplit(double value) {
            return new Params(trainingData, epochs, learningRate, ngramMax, minCount, seed, value, checkpointEvery);
        }

        public Params withCheckpointEvery(int value) {
            return new Params(trainingData, epochs, learningRate, ngramMax, minCount, seed, validationSplit, value);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public void validate(Params p) {
        ParamChecks.present("training_data", p.trainingData());
        ParamChecks.between("epochs", p.epochs(), 1, 100_000);
        ParamChecks.positive("learning_rate", p.learningRate());
        ParamChecks.between("ngram_max", p.ngramMax(), 1, 5);
        ParamChecks.atLeast("min_count", p.minCount(), 1);
        ParamChecks.fraction("validation_split", p.validationSplit());
        ParamChecks.atLeast("checkpoint_every", p.checkpointEvery(), 1);
    }

    @Override
    public TextClassifierModel train(Params p, TrainingContext context) {
        validate(p);
        List<TextRecord> records = read(p.trainingData());
        HoldOut<TextRecord> split = HoldOut.split(records, p.validationSplit(), p.seed());
        NgramFeaturizer featurizer = new NgramFeaturizer(p.ngramMax());
        Set<String> vocabulary = vocabulary(split.train(), featurizer, p.minCount());
        context.logger()
                .info(
                        "TextClassifier: {} training and {} held-out texts, {} n-gram features",
                        split.train().size(),
                        split.validation().size(),
                        vocabulary.size());
        TrainingOutcome<Label> outcome = LinearClassifierTraining.run(
                examples(split.train(), featurizer, vocabulary),
                examples(split.validation(), featurizer, vocabulary),
                new SgdSettings(p.epochs(), p.learningRate(), p.seed(), p.checkpointEvery()),
                context,
                "TextClassifier training_data");
        return new TextClassifierModel(outcome.model(), p.ngramMax(), outcome.metrics());
    }

    /** Reads and checks every record: each needs a text and a label, and there must be two labels or more. */
    private static List<TextRecord> read(DataStream<TextRecord> data) {
        List<TextRecord> records = new ArrayList<>();
        Set<String> labels = new TreeSet<>();
        int index = 0;
        for (TextRecord r : data) {
            index++;
            if (r == null || r.text() == null) {
                throw KilnException.invalidArgument("Record " + index + " of parameter 'training_data' has no 'text'");
            }
            if (r.label() == null || r.label().isBlank()) {
                throw KilnException.invalidArgument("Record " + index + " of parameter 'training_data' has no 'label'");
            }
            records.add(r);
            labels.add(r.label());
        }
        if (records.isEmpty()) {
            throw KilnException.invalidArgument("Parameter 'training_data' holds no records");
        }
        if (labels.size() < 2) {
            throw KilnException.invalidArgument("Parameter 'training_data' has only one label ('"
                    + labels.iterator().next() + "'); a classifier needs at least two");
        }
        return records;
    }

    private static Set<String> vocabulary(List<TextRecord> records, NgramFeaturizer featurizer, int minCount) {
        Map<String, Integer> counts = new HashMap<>();
        for (TextRecord r : records) {
            for (String gram : featurizer.ngrams(r.text())) {
                counts.merge(gram, 1, Integer::sum);
            }
        }
        Set<String> kept = new java.util.HashSet<>();
        counts.forEach((gram, count) -> {
            if (count >= minCount) {
                kept.add(gram);
            }
        });
        return kept;
    }

    private static List<Example<Label>> examples(
            List<TextRecord> records, NgramFeaturizer featurizer, Set<String> vocabulary) {
        List<Example<Label>> out = new ArrayList<>(records.size());
        for (TextRecord r : records) {
            out.add(featurizer.example(r.text(), new Label(r.label()), vocabulary::contains));
        }
        return out;
    }

    @Override
    public TextClassifierModel load(ModelDirectory directory) {
        Object ngramMax = directory.get("ngram_max");
        if (!(ngramMax instanceof Number n)) {
            throw KilnException.invalidArgument(
                    "Model config " + directory.path() + "/config.yml has no numeric 'ngram_max'");
        }
        return new TextClassifierModel(
                TribuoArtifacts.load(directory, Label.class),
                n.intValue(),
                Predictions.metrics(directory.get("metrics")));
    }
}
