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

    /** The outcome of a loop's result: its model and the metrics of its last epoch. */
    static <T extends Output<T>> TrainingOutcome<T> of(
            SgdLoop.Result<T> result, int trainingExamples, int validationExamples) {
        Map<String, Double> last = result.history().isEmpty()
                ? Map.of()
                : result.history().get(result.history().size() - 1);
        return new TrainingOutcome<>(result.model(), last, trainingExamples, validationExamples);
    }
}
