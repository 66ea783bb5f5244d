package dev.kiln.modules.sgd;

import dev.kiln.error.KilnException;
import dev.kiln.module.TrainingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.la.SparseVector;

/**
 * Trains a logistic-regression classifier with Tribuo's building blocks, reporting the epoch, the training loss and
 * the validation accuracy after each epoch, checkpointing so that a later attempt resumes exactly, and stopping between
 * epochs once the training is cancelled.
 */
public final class LinearClassifierTraining {
    /** The metric name for accuracy on the held-out examples. */
    public static final String VAL_ACCURACY = "val_accuracy";
    /** The metric name for the mean training loss of an epoch. */
    public static final String LOSS = "loss";

    private static final LabelFactory LABELS = new LabelFactory();

    private LinearClassifierTraining() {}

    /**
     * Trains on {@code train} and measures on {@code validation} after each epoch.
     *
     * @throws KilnException INVALID_ARGUMENT if no training example has a feature
     * @throws dev.kiln.module.TrainingCancelledException once the training is cancelled, between epochs
     */
    public static TrainingOutcome<Label> run(
            List<Example<Label>> train,
            List<Example<Label>> validation,
            SgdSettings settings,
            TrainingContext context,
            String description) {
        ImmutableDataset<Label> dataset = TribuoData.dataset(train, LABELS, description);
        if (dataset.size() == 0) {
            throw KilnException.invalidArgument("Parameter 'training_data' has no record with usable features");
        }
        ImmutableFeatureMap features = dataset.getFeatureIDMap();
        ImmutableOutputInfo<Label> outputs = dataset.getOutputIDInfo();
        SGDVector[] valX = new SGDVector[validation.size()];
        int[] valY = new int[validation.size()];
        for (int i = 0; i < valX.length; i++) {
            valX[i] = SparseVector.createSparseVector(validation.get(i), features, true);
            valY[i] = outputs.getID(validation.get(i).getOutput());
        }
        context.throwIfCancelled();
        SgdLoop.Result<Label> result =
                SgdLoop.run(new LabelSgd(settings), dataset, settings, context, (epoch, loss, parameters) -> {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    // Tribuo's LogMulticlass scores the log-likelihood of the true label; the cross-entropy is its
                    // negation.
                    metrics.put(LOSS, -loss);
                    if (valX.length > 0) {
                        metrics.put(VAL_ACCURACY, accuracy(parameters, valX, valY));
                    }
                    return metrics;
                });
        return TrainingOutcome.of(result, dataset.size(), valX.length);
    }

    private static double accuracy(LinearParameters parameters, SGDVector[] x, int[] y) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            if (parameters.predict(x[i]).indexOfMax() == y[i]) {
                correct++;
            }
        }
        return (double) correct / x.length;
    }
}
