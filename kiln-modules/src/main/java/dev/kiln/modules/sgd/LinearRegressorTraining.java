package dev.kiln.modules.sgd;

import dev.kiln.error.KilnException;
import dev.kiln.module.TrainingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.la.SparseVector;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Trains a linear regressor with Tribuo's building blocks, reporting the epoch, the training loss and the validation
 * RMSE and R² after each epoch, checkpointing so that a later attempt resumes exactly, and stopping between epochs
 * once the training is cancelled.
 */
public final class LinearRegressorTraining {
    /** The metric name for the root mean squared error on the held-out examples, in the target's units. */
    public static final String VAL_RMSE = "val_rmse";
    /** The metric name for the coefficient of determination on the held-out examples. */
    public static final String VAL_R2 = "val_r2";
    /** The metric name for the mean training loss of an epoch. */
    public static final String LOSS = "loss";

    private static final RegressionFactory REGRESSORS = new RegressionFactory();

    private LinearRegressorTraining() {}

    /**
     * Trains on {@code train} and measures on {@code validation} after each epoch.
     *
     * @param validationTargets the validation examples' targets in the target's own units
     * @param toTargetUnits turns a model output into the target's units (the examples may hold a scaled target)
     * @throws KilnException INVALID_ARGUMENT if no training example has a feature
     * @throws dev.kiln.module.TrainingCancelledException once the training is cancelled, between epochs
     */
    public static TrainingOutcome<Regressor> run(
            List<Example<Regressor>> train,
            List<Example<Regressor>> validation,
            double[] validationTargets,
            DoubleUnaryOperator toTargetUnits,
            SgdSettings settings,
            TrainingContext context,
            String description) {
        ImmutableDataset<Regressor> dataset = TribuoData.dataset(train, REGRESSORS, description);
        if (dataset.size() == 0) {
            throw KilnException.invalidArgument("Parameter 'training_data' has no record with usable features");
        }
        ImmutableFeatureMap features = dataset.getFeatureIDMap();
        SGDVector[] valX = new SGDVector[validation.size()];
        for (int i = 0; i < valX.length; i++) {
            valX[i] = SparseVector.createSparseVector(validation.get(i), features, true);
        }
        context.throwIfCancelled();
        SgdLoop.Result<Regressor> result =
                SgdLoop.run(new RegressionSgd(settings), dataset, settings, context, (epoch, loss, parameters) -> {
                    Map<String, Double> metrics = new LinkedHashMap<>();
                    metrics.put(LOSS, loss);
                    if (valX.length > 0) {
                        double[] predicted = predict(parameters, valX, toTargetUnits);
                        metrics.put(VAL_RMSE, rmse(predicted, validationTargets));
                        metrics.put(VAL_R2, r2(predicted, validationTargets));
                    }
                    return metrics;
                });
        return TrainingOutcome.of(result, dataset.size(), valX.length);
    }

    private static double[] predict(LinearParameters parameters, SGDVector[] x, DoubleUnaryOperator toTargetUnits) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = toTargetUnits.applyAsDouble(parameters.predict(x[i]).get(0));
        }
        return out;
    }

    /** The root mean squared error. */
    public static double rmse(double[] predicted, double[] actual) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = predicted[i] - actual[i];
            sum += d * d;
        }
        return Math.sqrt(sum / actual.length);
    }

    /** The coefficient of determination: 1 minus the residual sum of squares over the total sum of squares. */
    public static double r2(double[] predicted, double[] actual) {
        double mean = 0;
        for (double a : actual) {
            mean += a;
        }
        mean /= actual.length;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return total == 0 ? 0 : 1 - residual / total;
    }
}
