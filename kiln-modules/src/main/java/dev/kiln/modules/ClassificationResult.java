package dev.kiln.modules;

import java.util.Map;
import java.util.Objects;

/**
 * A classifier's answer for one input: the best label and every label's score.
 *
 * @param label the label with the highest score
 * @param scores each label's score (probabilities for the logistic models here), in the model's label order
 */
public record ClassificationResult(String label, Map<String, Double> scores) {
    public ClassificationResult {
        Objects.requireNonNull(label, "label");
        scores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scores));
    }
}
