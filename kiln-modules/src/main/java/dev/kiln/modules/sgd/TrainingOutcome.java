package dev.kiln.modules.sgd;

import java.util.Map;
import org.tribuo.Model;
import org.tribuo.Output;

/**
 * A trained Tribuo model and the metrics of its last epoch.
 *
 * @param model the model
 * @param metrics the last epoch's training loss and validation metrics
 * @param trainingExamples how many examples it was trained on
 * @param validationExamples how many examples it was validated on
 */
public record TrainingOutcome<T extends Output<T>>(
        Model<T> model, Map<String, Double> metrics, int trainingExamples, int validationExamples) {
    public TrainingOutcome {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
