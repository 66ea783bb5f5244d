package dev.kiln.modules.sgd;

import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.RegressionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/** Turns Tribuo predictions into Kiln's results. */
public final class Predictions {
    private Predictions() {}

    /** The predicted label and every label's score. */
    public static ClassificationResult classification(Prediction<Label> prediction) {
        Map<String, Double> scores = new LinkedHashMap<>();
        prediction.getOutputScores().forEach((name, label) -> scores.put(name, label.getScore()));
        return new ClassificationResult(prediction.getOutput().getLabel(), scores);
    }

    /** The predicted value of a one-dimensional regressor, turned into the target's units. */
    public static RegressionResult regression(Prediction<Regressor> prediction, DoubleUnaryOperator toTargetUnits) {
        return new RegressionResult(
                toTargetUnits.applyAsDouble(prediction.getOutput().getValues()[0]));
    }

    /** The metrics saved in a model's config, as numbers by name. */
    public static Map<String, Double> metrics(Object configValue) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (configValue instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof Number n) {
                    metrics.put(String.valueOf(k), n.doubleValue());
                }
            });
        }
        return metrics;
    }
}
