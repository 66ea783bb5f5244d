package dev.kiln.modules.text;

import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.RunnableModel;
import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/** A trained text classifier: a Tribuo logistic-regression model over word n-grams. Thread-safe. */
public final class TextClassifierModel implements RunnableModel<TextInput, ClassificationResult> {
    private final Model<Label> model;
    private final NgramFeaturizer featurizer;
    private final Map<String, Double> metrics;
    private final NgramIndex index;
    private final LinearScores scores;
    private final ThreadLocal<NgramIndex.Scratch> scratch;

    TextClassifierModel(Model<Label> model, int ngramMax, Map<String, Double> metrics) {
        this.model = Objects.requireNonNull(model, "model");
        this.featurizer = new NgramFeaturizer(ngramMax);
        this.metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        this.scores = LinearScores.of(model).orElse(null);
        this.index = scores == null ? null : NgramIndex.of(model.getFeatureIDMap(), ngramMax);
        this.scratch = scores == null ? null : ThreadLocal.withInitial(index::scratch);
    }

    @Override
    public ModuleDescriptor module() {
        return ModuleDescriptor.of(TextClassifier.class);
    }

    @Override
    public Class<TextInput> inputType() {
        return TextInput.class;
    }

    @Override
    public ClassificationResult run(TextInput input) {
        return predict(input.text() == null ? "" : input.text());
    }

    /**
     * Classifies one text. For the linear models Kiln trains, the n-grams are looked up in an index of the model's
     * features and scored over its weights directly, with the same scores as Tribuo's own prediction (see
     * {@link #tribuoPrediction}) at a fraction of the cost.
     */
    public ClassificationResult predict(String text) {
        if (scores == null) {
            return tribuoPrediction(text);
        }
        NgramIndex.Scratch s = scratch.get();
        int count = index.features(text, s);
        double weight = s.ngrams() == 0 ? 0 : 1 / Math.sqrt(s.ngrams());
        return scores.classify(s.ids(), count, weight, index.constantFeature());
    }

    /** Whether {@link #predict} scores over the weights directly (else it asks Tribuo). */
    boolean scoresDirectly() {
        return scores != null;
    }

    /** Classifies one text through Tribuo's {@code Example} and {@code Model.predict}. */
    public ClassificationResult tribuoPrediction(String text) {
        ImmutableFeatureMap known = model.getFeatureIDMap();
        return Predictions.classification(
                model.predict(featurizer.example(text, LabelFactory.UNKNOWN_LABEL, name -> known.get(name) != null)));
    }

    /** The labels this model chooses between. */
    public List<String> labels() {
        return model.getOutputIDInfo().getDomain().stream()
                .map(Label::getLabel)
                .sorted()
                .toList();
    }

    /** The last epoch's training loss and validation accuracy. */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** The underlying Tribuo model. */
    public Model<Label> tribuoModel() {
        return model;
    }

    @Override
    public void save(ModelWriter writer) throws IOException {
        TribuoArtifacts.save(model, writer);
        writer.put("ngram_max", featurizer.ngramMax());
        writer.put("labels", labels());
        writer.put("features", model.getFeatureIDMap().size());
        writer.put("metrics", new LinkedHashMap<>(metrics));
    }
}
