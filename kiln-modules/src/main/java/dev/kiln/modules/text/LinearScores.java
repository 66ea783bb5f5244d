package dev.kiln.modules.text;

import dev.kiln.modules.ClassificationResult;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.VectorNormalizer;

/**
 * A Tribuo linear classifier's weights laid out for scoring a sparse text: the weights of one feature for every label
 * side by side, then the bias. Scores are computed with the same operations in the same order as Tribuo's
 * {@code LinearSGDModel.predict} (a sum over the active features in increasing id order, then the bias, then the
 * model's own normaliser), so they are bit for bit the same, without building an {@code Example}, a sparse vector
 * and a {@code Prediction} per call. Immutable and thread-safe.
 */
final class LinearScores {
    private final double[] weights;
    private final int features;
    private final String[] labels;
    private final VectorNormalizer normalizer;

    private LinearScores(double[] weights, int features, String[] labels, VectorNormalizer normalizer) {
        this.weights = weights;
        this.features = features;
        this.labels = labels;
        this.normalizer = normalizer;
    }

    /**
     * The scores of {@code model}, if it is a Tribuo linear SGD classifier with a bias (the kind Kiln trains) whose
     * normaliser can be read.
     */
    static Optional<LinearScores> of(Model<Label> model) {
        if (!(model instanceof LinearSGDModel linear)) {
            return Optional.empty();
        }
        Optional<VectorNormalizer> normalizer = normalizer(linear);
        DenseMatrix w = linear.getWeightsCopy();
        int features = model.getFeatureIDMap().size();
        int labelCount = model.getOutputIDInfo().size();
        if (normalizer.isEmpty() || w.getDimension1Size() != labelCount || w.getDimension2Size() != features + 1) {
            return Optional.empty();
        }
        String[] labels = new String[labelCount];
        double[] weights = new double[(features + 1) * labelCount];
        for (int l = 0; l < labelCount; l++) {
            labels[l] = model.getOutputIDInfo().getOutput(l).getLabel();
            for (int f = 0; f <= features; f++) {
                weights[f * labelCount + l] = w.get(l, f);
            }
        }
        return Optional.of(new LinearScores(weights, features, labels, normalizer.get()));
    }

    /**
     * The model's normaliser, which Tribuo keeps in a private field without a getter. Reading the field is the one
     * cheap way: {@code serialize()} has it too, but serialising the feature map of a 48,107-feature model takes
     * seconds of reflection. If a later Tribuo moves or hides the field, predictions fall back to Tribuo's path.
     */
    private static Optional<VectorNormalizer> normalizer(LinearSGDModel model) {
        try {
            Field field = LinearSGDModel.class.getDeclaredField("normalizer");
            field.setAccessible(true);
            return Optional.ofNullable((VectorNormalizer) field.get(model));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Classifies a text from its features: {@code ids[0..count)}, in increasing order, each with value {@code value}
     * except {@code constant} (if among them), whose value is 1.
     *
     * @throws IllegalArgumentException if there are no features, as Tribuo does
     */
    ClassificationResult classify(int[] ids, int count, double value, int constant) {
        if (count == 0) {
            throw new IllegalArgumentException("No features found in the text");
        }
        int n = labels.length;
        double[] scores = new double[n];
        for (int i = 0; i < count; i++) {
            int id = ids[i];
            double v = id == constant ? 1.0 : value;
            int row = id * n;
            for (int l = 0; l < n; l++) {
                scores[l] += weights[row + l] * v;
            }
        }
        int bias = features * n;
        for (int l = 0; l < n; l++) {
            scores[l] += weights[bias + l] * 1.0;
        }
        normalizer.normalizeInPlace(scores);
        double max = Double.NEGATIVE_INFINITY;
        String best = null;
        Map<String, Double> byLabel = new LinkedHashMap<>();
        for (int l = 0; l < n; l++) {
            byLabel.put(labels[l], scores[l]);
            if (scores[l] > max) {
                max = scores[l];
                best = labels[l];
            }
        }
        return new ClassificationResult(best, byLabel);
    }
}
